import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_SEMI_SPACE_MB } from "../../src/config";
import { PROJECT_ROOT } from "../../src/paths";

/*
 * Graceful shutdown the way it happens in production: the real `npm start` (its build, its shell,
 * npm's signal forwarding), a service manager's SIGTERM to npm's pid, or Ctrl-C (SIGINT to the
 * whole process group), with a request in flight. NODE_ENV is not `test` here, as in production
 * (Apollo Server behaves differently on signals under test).
 *
 * The request is made slow honestly: the embedded database is frozen with SIGSTOP while the
 * request waits for it, and thawed with SIGCONT after the signal, so the request can only
 * complete if procgraph drains it instead of exiting.
 */

interface ProcessRow {
  pid: number;
  ppid: number;
  args: string;
}

/** The process table, read from /proc (no `ps` needed on a bare CI machine). */
function processTable(): ProcessRow[] {
  return fs.readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      // The parent pid is the second field after the command name, which may contain spaces or parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      return [{ pid: Number(entry), ppid, args }];
    } catch {
      return []; // exited meanwhile
    }
  });
}

/** The process and everything below it (the embedded server runs in a session of its own, still a descendant). */
function tree(root: number): ProcessRow[] {
  const rows = processTable();
  const found = rows.filter((row) => row.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...rows.filter((row) => row.ppid === found[i].pid));
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface NpmStart {
  npm: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` in a process group of its own (as a terminal's job), on a fresh DATA_DIR. */
function npmStart(dataDir: string, extraEnv: Record<string, string> = {}): Promise<NpmStart> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info", ...extraEnv };
  delete env.NODE_ENV;
  delete env.MONGODB_URI;
  const npm = spawn("npm", ["start"], { cwd: PROJECT_ROOT, env, detached: true });
  let output = "";
  npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start: no ready line within 150 s:\n${output}`)), 150_000);
    void exit.then(({ code }) => reject(new Error(`npm start exited with ${code} before ready:\n${output}`)));
    const poll = setInterval(() => {
      const ready = /procgraph ready: playground at (http:\/\/\S+)\/graphql/.exec(output);
      if (!ready) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ npm, url: ready[1], output: () => output, exit });
    }, 50);
    void exit.then(() => clearInterval(poll));
  });
}

const QUERY = "{ processes(first: 50) { totalCount nodes { id name source health { status } } } }";
const ask = (url: string) =>
  fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: QUERY }) }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { data?: { processes: { totalCount: number } } },
  }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `deliver` (the signal) while a request waits on the frozen database, then thaws it, and
 * asserts: the request completes with its full answer, npm exits 0, no process is left.
 */
async function drainsOn(deliver: (npm: ChildProcessWithoutNullStreams, node: number) => void): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-shutdown-"));
  let started: NpmStart | undefined;
  let frozen: number | undefined;
  let processes: ProcessRow[] = [];
  try {
    started = await npmStart(dataDir);
    const { npm, url } = started;
    processes = tree(npm.pid!);
    const node = processes.find((row) => /node .*dist\/src\/index\.js/.test(row.args));
    const dbServer = processes.find((row) => / -m secantus /.test(row.args));
    expect([node?.args, dbServer?.args]).toEqual([expect.any(String), expect.any(String)]);
    // npm's shell execs node: npm's child is node itself, so npm's forwarded signal reaches it.
    expect(node!.ppid).toBe(npm.pid);
    // With the node flags of src/config.ts (nodeRuntimeArgs), which the bench's servers use too.
    expect(node!.args).toContain(` --max-semi-space-size=${DEFAULT_SEMI_SPACE_MB} `);

    const expected = await ask(url);
    expect(expected.status).toBe(200);
    expect(expected.body.data?.processes.totalCount).toBeGreaterThan(0);

    frozen = dbServer!.pid;
    process.kill(frozen, "SIGSTOP");
    let settled = false;
    const inFlight = ask(url).finally(() => (settled = true));
    await sleep(500);
    deliver(npm, node!.pid);
    await sleep(1_500);
    // Still waiting for the frozen database, and procgraph still running to answer it.
    expect(settled).toBe(false);
    expect(alive(node!.pid)).toBe(true);
    process.kill(frozen, "SIGCONT");
    frozen = undefined;

    expect(await inFlight).toEqual(expected);
    let timer: NodeJS.Timeout | undefined;
    const stillRunning = new Promise((resolve) => (timer = setTimeout(() => resolve("still running after 60 s"), 60_000)));
    expect(await Promise.race([started.exit, stillRunning]).finally(() => clearTimeout(timer))).toEqual({ code: 0, signal: null });
    // The supervisor stops the database within its grace period; nothing outlives it.
    const deadline = Date.now() + 20_000;
    while (processes.some((row) => alive(row.pid)) && Date.now() < deadline) await sleep(200);
    expect(processes.filter((row) => alive(row.pid)).map((row) => row.args)).toEqual([]);
    return started.output();
  } finally {
    if (frozen !== undefined) process.kill(frozen, "SIGCONT");
    for (const row of processes) if (alive(row.pid)) process.kill(row.pid, "SIGKILL");
    if (started?.npm.exitCode === null) started.npm.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("npm start shuts down gracefully", () => {
  it("on SIGTERM to npm's pid (a service manager): drains the request in flight, exits 0, leaves no process", async () => {
    const output = await drainsOn((npm) => npm.kill("SIGTERM"));
    expect(output).toContain("shutting down: draining requests for at most 10000 ms (SHUTDOWN_TIMEOUT_MS)");
    expect(output).toContain("shutdown complete");
    expect(output).not.toContain("second signal");
  }, 240_000);

  it("on Ctrl-C (SIGINT to the whole process group, which npm forwards once more): drains, exits 0, leaves no process", async () => {
    const output = await drainsOn((npm, node) => {
      process.kill(-npm.pid!, "SIGINT");
      // npm's forwarded copy reaches node separately when node has already handled the terminal's
      // (the kernel merges the two only when both are pending at once): make that case certain.
      setTimeout(() => process.kill(node, "SIGINT"), 100);
    });
    expect(output).toContain('"signal":"SIGINT"');
    expect(output).toContain("the same SIGINT again within 2000 ms (npm forwards it too): already shutting down");
    expect(output).toContain("shutdown complete");
    expect(output).not.toContain("second signal");
  }, 240_000);
});

describe("npm start's shutdown is bounded by SHUTDOWN_TIMEOUT_MS", () => {
  it("closes a request still waiting when the timeout passes, says so, and still exits 0 leaving no process", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-shutdown-bound-"));
    let started: NpmStart | undefined;
    let frozen: number | undefined;
    let processes: ProcessRow[] = [];
    try {
      started = await npmStart(dataDir, { SHUTDOWN_TIMEOUT_MS: "1000" });
      processes = tree(started.npm.pid!);
      const dbServer = processes.find((row) => / -m secantus /.test(row.args));
      frozen = dbServer!.pid;
      // Frozen for the whole shutdown: the request cannot finish, the drain must give up.
      process.kill(frozen, "SIGSTOP");
      const inFlight = ask(started.url).then(
        () => "answered",
        () => "connection closed",
      );
      await sleep(500);
      const signalledAt = Date.now();
      started.npm.kill("SIGTERM");
      expect(await inFlight).toBe("connection closed");
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(900);
      expect(Date.now() - signalledAt).toBeLessThan(5_000);
      // The drain (1 s), closing the client to the frozen database (2 s at most), and stopping the
      // frozen embedded server (its supervisor's 8 s grace, then SIGKILL).
      let timer: NodeJS.Timeout | undefined;
      const stillRunning = new Promise((resolve) => (timer = setTimeout(() => resolve("still running after 20 s"), 20_000)));
      expect(await Promise.race([started.exit, stillRunning]).finally(() => clearTimeout(timer))).toEqual({ code: 0, signal: null });
      expect(started.output()).toContain("shutdown timeout (SHUTDOWN_TIMEOUT_MS) reached: closing the connections still in flight");
      const deadline = Date.now() + 20_000;
      while (processes.some((row) => alive(row.pid)) && Date.now() < deadline) await sleep(200);
      expect(processes.filter((row) => alive(row.pid)).map((row) => row.args)).toEqual([]);
    } finally {
      if (frozen !== undefined && alive(frozen)) process.kill(frozen, "SIGCONT");
      for (const row of processes) if (alive(row.pid)) process.kill(row.pid, "SIGKILL");
      if (started?.npm.exitCode === null) started.npm.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
