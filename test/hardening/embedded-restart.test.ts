import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { loadConfig } from "../../src/config";
import { startProcgraph, type RunningProcgraph } from "../../src/server";
import { secantusServerPid } from "../../src/db/embedded/secantus";

/*
 * procgraph on its embedded SecantusDB (`npm start` without MONGODB_URI), whose server process is
 * killed the way the OOM killer or an operator would: SIGKILL to the server itself.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-restart-"));
const storageDir = path.join(dataDir, "secantus");
const logLines: Array<{ level: number; msg: string; signal?: string; code?: number }> = [];
const lost: string[] = [];
let procgraph: RunningProcgraph;

beforeAll(async () => {
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "info", DATA_DIR: dataDir, SEED_DEMO: "true", ANONYMOUS_SCOPE: "all" });
  const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  procgraph = await startProcgraph(config, { logger, onDatabaseLost: (reason) => void lost.push(reason) });
}, 120_000);

afterAll(async () => {
  await procgraph?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function processCount(): Promise<number | undefined> {
  try {
    const response = await fetch(`${procgraph.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ processes(first: 1) { totalCount } }" }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as { data?: { processes: { totalCount: number } } };
    return body.data?.processes.totalCount;
  } catch {
    return undefined;
  }
}

async function startTime(): Promise<string | undefined> {
  const text = await (await fetch(`${procgraph.url}/metrics`)).text();
  return /^procgraph_process_start_time_seconds (\d+)/m.exec(text)?.[1];
}

const killServer = (): number => {
  const pid = secantusServerPid(storageDir);
  if (!pid) throw new Error(`no SecantusDB server on ${storageDir}`);
  process.kill(pid, "SIGKILL");
  return pid;
};

describe("the embedded database, killed", () => {
  it("is restarted on the same data, logged, and serves again within 10 s without a restart of procgraph", async () => {
    const before = await processCount();
    expect(before).toBeGreaterThan(0);
    const started = await startTime();

    const killedPid = killServer();
    const killedAt = Date.now();
    let after: number | undefined;
    while (after === undefined && Date.now() < killedAt + 10_000) {
      await new Promise((r) => setTimeout(r, 200));
      after = await processCount();
    }
    expect(after).toBe(before);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(10_000);
    // The driver may reconnect before the launcher's own ping loop has seen the new server answer.
    const restarted = () => logLines.some((l) => l.msg === "embedded database restarted");
    while (!restarted() && Date.now() < killedAt + 10_000) await new Promise((r) => setTimeout(r, 100));
    expect(await startTime()).toBe(started);
    const restartedPid = secantusServerPid(storageDir);
    expect(restartedPid).toBeDefined();
    expect(restartedPid).not.toBe(killedPid);

    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 50, signal: "SIGKILL", msg: "embedded database exited (signal SIGKILL); restarting it on the same port and data directory" }),
    );
    expect(logLines).toContainEqual(expect.objectContaining({ level: 30, msg: "embedded database restarted" }));
    expect(lost).toEqual([]);
    expect((await fetch(`${procgraph.url}/readyz`)).status).toBe(200);
  }, 60_000);

  it("gives up with a fatal line after repeated failed restarts", async () => {
    // The data directory becomes a file: every restart fails at once.
    fs.renameSync(storageDir, `${storageDir}.moved`);
    fs.writeFileSync(storageDir, "not a directory\n");
    killServer();
    const deadline = Date.now() + 40_000;
    while (lost.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    // The first test's exit counts too: both exits and these four failed restarts are within the window.
    expect(lost).toEqual([expect.stringMatching(/^embedded database failed 6 times within 300 s: giving up/)]);
    expect(logLines.filter((l) => l.msg === "embedded database did not restart")).toHaveLength(4);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 60, msg: lost[0] }));
  }, 60_000);
});
