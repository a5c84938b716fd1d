import type { ChildProcess } from "node:child_process";
import path from "node:path";
import pino from "pino";
import { loadConfig } from "../../src/config";
import { freeLoopbackPort, waitForPing } from "../../src/db/embedded/launcher";
import { ensureSecantusInstalled, spawnSecantus } from "../../src/db/embedded/secantus";
import { PROJECT_ROOT } from "../../src/paths";
import { startProcgraph, type RunningProcgraph } from "../../src/server";

/*
 * A DB server of this test's own, stopped and restarted mid-test on the same port. (With
 * MONGODB_URI set the suite cannot stop that server, so this test always uses SecantusDB.)
 */
let port: number;
let db: ChildProcess | undefined;
let procgraph: RunningProcgraph;
const python = () => ensureSecantusInstalled(PROJECT_ROOT, () => undefined);

async function startDb(): Promise<void> {
  db = spawnSecantus({ python: python(), port, storagePath: ":memory:", configFile: path.join(PROJECT_ROOT, ".cache", "secantusd.toml") });
  await waitForPing(`mongodb://127.0.0.1:${port}/?directConnection=true`, 60_000, db);
}

async function stopDb(): Promise<void> {
  const child = db;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.stdin?.end();
  });
}

async function query(): Promise<{ status: number; elapsedMs: number; body: { data?: unknown; errors?: Array<{ message: string; extensions: { code: string } }> } }> {
  const startedAt = Date.now();
  const response = await fetch(`${procgraph.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ procgraph { databaseServerVersion } }" }) });
  return { status: response.status, elapsedMs: Date.now() - startedAt, body: (await response.json()) as never };
}

beforeAll(async () => {
  port = await freeLoopbackPort();
  await startDb();
  const config = { ...loadConfig({ PORT: "0", LOG_LEVEL: "silent", SEED_DEMO: "false", MONGODB_URI: `mongodb://127.0.0.1:${port}/?directConnection=true`, MONGODB_SERVER_SELECTION_TIMEOUT_MS: "1000", ANONYMOUS_SCOPE: "all" }) };
  procgraph = await startProcgraph(config, { logger: pino({ level: "silent" }) });
}, 90_000);

afterAll(async () => {
  await procgraph?.stop();
  await stopDb();
}, 60_000);

describe("a MongoDB outage", () => {
  it("fails requests fast with SERVICE_UNAVAILABLE while MongoDB is down, and recovers by itself", async () => {
    expect((await query()).body).toEqual({ data: { procgraph: { databaseServerVersion: expect.any(String) } } });

    await stopDb();
    // The first request may be the one that discovers the outage (bounded by server selection).
    const during = await query();
    expect(during.body.errors?.[0]).toMatchObject({ message: "MongoDB is unavailable; try again shortly", extensions: { code: "SERVICE_UNAVAILABLE" } });
    expect(during.elapsedMs).toBeLessThan(5_000);
    // Once the heartbeat has failed, requests fail at once, with 503.
    await new Promise((r) => setTimeout(r, 2_500));
    const fast = await query();
    expect(fast.status).toBe(503);
    expect(fast.body.errors).toEqual([{ message: "MongoDB is unavailable; try again shortly", extensions: { code: "SERVICE_UNAVAILABLE" } }]);
    expect(fast.elapsedMs).toBeLessThan(1_000);
    const ready = await fetch(`${procgraph.url}/readyz`);
    expect(ready.status).toBe(503);
    const live = await fetch(`${procgraph.url}/healthz`);
    expect(live.status).toBe(200);

    await startDb();
    const deadline = Date.now() + 15_000;
    let after = await query();
    while (after.body.errors && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      after = await query();
    }
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ data: { procgraph: { databaseServerVersion: expect.any(String) } } });
    expect((await fetch(`${procgraph.url}/readyz`)).status).toBe(200);
  }, 120_000);
});
