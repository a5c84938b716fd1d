import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { lockDataDir } from "../../src/db/embedded/dataDir";
import { freeLoopbackPort } from "../../src/db/embedded/launcher";
import { PROJECT_ROOT } from "../../src/paths";

/*
 * A start that cannot succeed as configured ends with exit code 2 and one line on stderr naming
 * the problem (never a JSON log line with a stack trace), run as `npm start` runs it: the
 * compiled entry point, NODE_ENV unset.
 */
const ENTRY = path.join(PROJECT_ROOT, "dist", "src", "index.js");

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", PORT: "0", ...extra };
  delete result.NODE_ENV;
  if (!extra.MONGODB_URI) delete result.MONGODB_URI;
  return result;
}

interface Run {
  status: number | null;
  stderr: string;
  elapsedMs: number;
}

/** Runs the entry point to its end (killed after `timeoutMs`: a hang fails the test, not the run). */
function run(extra: Record<string, string>, timeoutMs = 30_000): Promise<Run> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [ENTRY], { env: env(extra), cwd: PROJECT_ROOT });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) =>
    child.once("close", (status) => {
      clearTimeout(killer);
      resolve({ status, stderr, elapsedMs: Date.now() - startedAt });
    }),
  );
}

function expectOneLine(result: Run, line: RegExp): void {
  expect({ status: result.status, lines: result.stderr.trimEnd().split("\n") }).toEqual({ status: 2, lines: [expect.stringMatching(line)] });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

beforeAll(() => {
  const build = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}, 120_000);

describe("a start that cannot succeed: exit 2 and one line", () => {
  it("MONGODB_URI that does not parse", async () => {
    expectOneLine(await run({ MONGODB_URI: "mongodb://[::1" }), /^procgraph: invalid MONGODB_URI="mongodb:\/\/\[::1": a valid MongoDB connection string \(Unable to parse \[::1 with URL\)$/);
  });

  it("MONGODB_URI with an unknown option (the password is not printed)", async () => {
    expectOneLine(
      await run({ MONGODB_URI: "mongodb://ops:s3cret@127.0.0.1:1/?colour=blue" }),
      /^procgraph: invalid MONGODB_URI="mongodb:\/\/ops:\*\*\*@127\.0\.0\.1:1\/\?colour=blue": a valid MongoDB connection string \(option colour is not supported\)$/,
    );
  });

  it("a database that cannot be reached: a bounded wait (MONGODB_SERVER_SELECTION_TIMEOUT_MS), then one line", async () => {
    const port = await freeLoopbackPort();
    const result = await run({ MONGODB_URI: `mongodb://ops:s3cret@127.0.0.1:${port}/?directConnection=true`, MONGODB_SERVER_SELECTION_TIMEOUT_MS: "500" });
    expectOneLine(
      result,
      new RegExp(`^procgraph: cannot reach MongoDB at 127\\.0\\.0\\.1:${port} \\(MONGODB_URI\\) within 500 ms \\(MONGODB_SERVER_SELECTION_TIMEOUT_MS\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`),
    );
    expect(result.elapsedMs).toBeLessThan(15_000);
  });

  it("HOST that is not an address", async () => {
    expectOneLine(await run({ HOST: "999.1.1.1" }), /^procgraph: invalid HOST="999\.1\.1\.1": an IPv4 address \(four numbers from 0 to 255\), a host name or an IPv6 address$/);
  });

  it("a port already in use", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as net.AddressInfo;
    const dbName = `startup_errors_${process.pid}`;
    try {
      const result = await run({ MONGODB_URI: process.env.PROCGRAPH_TEST_MONGODB_URI!, MONGODB_DB: dbName, SEED_DEMO: "false", PORT: String(port) });
      expectOneLine(result, new RegExp(`^procgraph: cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use \\(set another PORT, or stop what uses it\\)$`));
    } finally {
      holder.close();
      const client = new MongoClient(process.env.PROCGRAPH_TEST_MONGODB_URI!);
      await client.db(dbName).dropDatabase();
      await client.close();
    }
  });

  it("DATA_DIR that cannot be created (under /proc) fails at once instead of spinning", async () => {
    const result = await run({ DATA_DIR: "/proc/x" }, 20_000);
    expectOneLine(result, /^procgraph: invalid DATA_DIR="\/proc\/x": a directory procgraph can create and write \(mkdir \/proc\/x: E[A-Z]+: .*\)$/);
    expect(result.elapsedMs).toBeLessThan(10_000);
  });

  it("DATA_DIR in use by another procgraph: the second start says which, the first is unharmed and releases it on exit", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-lock-"));
    const first = spawn(process.execPath, [ENTRY], { env: env({ DATA_DIR: dataDir, LOG_LEVEL: "warn" }), cwd: PROJECT_ROOT });
    try {
      let output = "";
      first.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line within 90 s:\n${output}`)), 90_000);
        first.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const ready = /procgraph ready: playground at (http:\/\/\S+)\/graphql/.exec(output);
          if (ready) {
            clearTimeout(timer);
            resolve(ready[1]);
          }
        });
      });
      const second = await run({ DATA_DIR: dataDir });
      expectOneLine(second, new RegExp(`^procgraph: DATA_DIR=${escape(dataDir)} is in use by another procgraph \\(pid ${first.pid}\\): stop it first, or give this one its own DATA_DIR$`));
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const exited = new Promise((resolve) => first.once("exit", resolve));
      first.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(fs.existsSync(path.join(dataDir, "procgraph.pid"))).toBe(false);
    } finally {
      if (first.exitCode === null) first.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});

describe("the DATA_DIR lock", () => {
  it("takes over a lock whose process is gone (procgraph killed with SIGKILL), and releases only its own", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-stale-"));
    try {
      const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
      fs.writeFileSync(path.join(dataDir, "procgraph.pid"), `${gone.stdout}\n`);
      const lock = lockDataDir(dataDir, path.join(dataDir, "secantus"));
      expect(fs.readFileSync(path.join(dataDir, "procgraph.pid"), "utf8")).toBe(`${process.pid}\n`);
      expect(fs.statSync(path.join(dataDir, "secantus")).isDirectory()).toBe(true);
      lock.release();
      expect(fs.existsSync(path.join(dataDir, "procgraph.pid"))).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
