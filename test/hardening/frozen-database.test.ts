import pino from "pino";
import { runTokenCommand } from "../../src/auth/tokenCommand";
import { loadConfig } from "../../src/config";
import { startProcgraph, type RunningProcgraph } from "../../src/server";
import { startOwnSecantus, type OwnSecantus } from "../helpers/secantus";

/*
 * A database that stops answering (SIGSTOP: its sockets stay open, nothing comes back) in the
 * middle of load. Every response must still arrive by its deadline, readiness must say so within
 * two seconds, and service must come back by itself once the database does.
 */
const REQUEST_TIMEOUT_MS = 3_000;
// Scheduling on a shared two-core machine, and the HTTP exchange around the deadline.
const MARGIN_MS = 1_000;
const DASHBOARD = "query Dashboard { dashboardSummary { health { total healthy } } processes(first: 20) { totalCount nodes { id name } } }";

let db: OwnSecantus;
let procgraph: RunningProcgraph;
let token: string;

beforeAll(async () => {
  db = await startOwnSecantus();
  const config = loadConfig({
    PORT: "0",
    LOG_LEVEL: "silent",
    MONGODB_URI: db.uri,
    SEED_DEMO: "true",
    ANONYMOUS_SCOPE: "none",
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    // Queued requests wait until their deadline, as they would for any queue wait longer than the
    // freeze's detection: what is tested is what the codes say about the database, not the
    // overload rule (test/hardening/admission.test.ts, "a standing queue").
    MAX_QUEUE_WAIT_MS: String(REQUEST_TIMEOUT_MS),
    MAX_CONCURRENT_REQUESTS: "2",
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: "1000",
  });
  procgraph = await startProcgraph(config, { logger: pino({ level: "silent" }) });
  token = (await runTokenCommand(procgraph.deps.db, ["create", "--name", "dashboard", "--cmdb-businesses", "*", "--paas-apps", "*"])).split("\n")[1];
}, 120_000);

afterAll(async () => {
  db?.thaw();
  await procgraph?.stop();
  await db?.stop();
}, 60_000);

interface Outcome {
  kind: "graphql" | "rest";
  startedAt: number;
  elapsedMs: number;
  status: number;
  code: string | undefined;
}

async function call(kind: Outcome["kind"], authorization = `Bearer ${token}`): Promise<Outcome> {
  const startedAt = Date.now();
  const headers = { "content-type": "application/json", authorization };
  // The test's own bound, far beyond the one asserted: a hung request fails the test, not the run.
  const signal = AbortSignal.timeout(30_000);
  let status = 0;
  let code: string | undefined;
  try {
    if (kind === "graphql") {
      const response = await fetch(`${procgraph.url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query: DASHBOARD }), signal });
      status = response.status;
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      code = body.errors?.[0]?.extensions?.code;
    } else {
      const response = await fetch(`${procgraph.url}/api/v3/findmany/proc/process_related_info/biz/2`, { method: "POST", headers, body: JSON.stringify({ page: { start: 0, limit: 20 } }), signal });
      status = response.status;
      const body = (await response.json()) as { result?: boolean; bk_error_code?: number };
      code = body.result === false ? String(body.bk_error_code) : undefined;
    }
  } catch (error) {
    code = `no answer: ${(error as Error).message}`;
  }
  return { kind, startedAt, elapsedMs: Date.now() - startedAt, status, code };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a database that freezes under load", () => {
  it("answers every request by its deadline, says 503 on /readyz within 2 s, and serves again within 2 s of the database's return", async () => {
    expect((await call("graphql")).code).toBeUndefined();
    const outcomes: Outcome[] = [];
    let loadUntil = Number.POSITIVE_INFINITY;
    const client = async (kind: Outcome["kind"]) => {
      while (Date.now() < loadUntil) outcomes.push(await call(kind));
    };
    const clients = [...Array.from({ length: 10 }, () => client("graphql")), client("rest"), client("rest")];
    await sleep(1_000);

    const readiness: Array<{ at: number; elapsedMs: number; status: number }> = [];
    let frozenAt = 0;
    let thawedAt = 0;
    let backAfterMs = Number.POSITIVE_INFINITY;
    let unknownTokenDuringFreeze: Outcome | undefined;
    try {
      db.freeze();
      frozenAt = Date.now();
      // Twice the deadline: requests in flight at the freeze, and those queued behind them, end.
      while (Date.now() < frozenAt + 2 * REQUEST_TIMEOUT_MS + 500) {
        const at = Date.now();
        const response = await fetch(`${procgraph.url}/readyz`, { signal: AbortSignal.timeout(30_000) });
        readiness.push({ at: at - frozenAt, elapsedMs: Date.now() - at, status: response.status });
        await sleep(200);
      }
      // A token never seen: not looked up while the database does not answer.
      unknownTokenDuringFreeze = await call("graphql", "Bearer pgt_unknown-token-never-issued-0123456789");
    } finally {
      db.thaw();
      thawedAt = Date.now();
    }
    while (Date.now() < thawedAt + 10_000) {
      const probe = await call("graphql");
      if (probe.status === 200 && probe.code === undefined) {
        backAfterMs = Date.now() - thawedAt;
        break;
      }
      await sleep(100);
    }
    loadUntil = Date.now();
    await Promise.all(clients);

    const during = outcomes.filter((o) => o.startedAt + o.elapsedMs > frozenAt && o.startedAt < thawedAt);
    expect(during.length).toBeGreaterThan(10);
    const late = outcomes.filter((o) => o.elapsedMs > REQUEST_TIMEOUT_MS + MARGIN_MS);
    expect(late).toEqual([]);
    // GraphQL says what happened: the deadline passed, or MongoDB does not answer; never OVERLOADED.
    const graphqlCodes = new Set(during.filter((o) => o.kind === "graphql" && o.code).map((o) => o.code));
    expect([...graphqlCodes].filter((c) => c !== "TIMEOUT" && c !== "SERVICE_UNAVAILABLE")).toEqual([]);
    expect(outcomes.filter((o) => o.status === 500 || o.status === 0)).toEqual([]);

    expect(readiness.filter((r) => r.elapsedMs > 1_000 + MARGIN_MS / 2)).toEqual([]);
    const firstUnready = readiness.find((r) => r.status === 503);
    expect(firstUnready?.at).toBeLessThanOrEqual(2_000);
    expect(readiness.filter((r) => r.at > 2_000 && r.status !== 503)).toEqual([]);

    expect(unknownTokenDuringFreeze).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
    expect(unknownTokenDuringFreeze!.elapsedMs).toBeLessThan(1_000);

    // Back: the first request answered with data after the thaw (the load's or the probe's: the
    // probe waits in the admission queue behind the load, as any newcomer does).
    const firstSuccess = Math.min(backAfterMs, ...outcomes.filter((o) => o.startedAt + o.elapsedMs >= thawedAt && o.status === 200 && !o.code).map((o) => o.startedAt + o.elapsedMs - thawedAt));
    expect(firstSuccess).toBeLessThanOrEqual(2_000);
    expect(backAfterMs).toBeLessThanOrEqual(5_000);
    expect((await fetch(`${procgraph.url}/readyz`)).status).toBe(200);
  }, 120_000);
});
