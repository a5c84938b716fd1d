import { EventEmitter } from "node:events";
import pino from "pino";
import { AccessScope } from "../../src/auth/scope";
import { loadConfig } from "../../src/config";
import { CallerGoneError } from "../../src/db/health";
import { createRequestContext } from "../../src/graphql/context";
import { Summaries } from "../../src/crossmodel/providers/summaries";
import { Metrics } from "../../src/observability/metrics";
import { surviveUnhandledRejections } from "../../src/observability/unhandled";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

/*
 * The service must survive load at a short deadline: requests past it are answered TIMEOUT or
 * OVERLOADED, and no MongoDB query is left without a handler when its request gives up (an unhandled
 * rejection used to end the Node process).
 */

// A server of its own: 20 clients on 30,000 processes keep it busy past their deadlines.
const database = useTestDatabase({ ownServer: true });
const server = useTestServer(database, { REQUEST_TIMEOUT_MS: "200" });

const DASHBOARD = `{ dashboardSummary { health { total } } processes(first: 50) { totalCount } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // Enough processes that the summary's aggregations and the counts run near the 200 ms deadline.
  const processes = Array.from({ length: 30_000 }, (_, i) => ({
    bk_process_id: i + 1,
    bk_biz_id: 2 + (i % 5),
    bk_supplier_account: "0",
    bk_process_name: `process-${i}`,
    service_instance_id: i + 1,
  }));
  for (let i = 0; i < processes.length; i += 10_000) await database.db.collection("cc_Process").insertMany(processes.slice(i, i + 10_000));
  const paas = Array.from({ length: 10_000 }, (_, i) => ({ _id: `app-${i % 50}/default/prod/web-${i}`, env_id: `app-${i % 50}/default/prod`, type: `web-${i}`, name: `web-${i}`, target_replicas: 1 }));
  await database.db.collection<{ _id: string }>("paas_processes").insertMany(paas);
}, 120_000);

describe("under load with REQUEST_TIMEOUT_MS=200", () => {
  it("answers 20 concurrent dashboard queries with data, TIMEOUT, OVERLOADED or SERVICE_UNAVAILABLE, and leaves no rejection unhandled", async () => {
    const codes = new Map<string, number>();
    // 20 clients, each sending its next request as soon as the last is answered.
    const until = Date.now() + 6_000;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (Date.now() < until) {
          const response = await server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: DASHBOARD }) });
          const answer = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
          for (const code of new Set(answer.errors?.map((e) => e.extensions?.code ?? "none") ?? ["ok"])) codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }),
    );
    // The queries the last requests left behind end within their maxTimeMS: a rejection of one
    // nobody handles fails this test (jest-circus; test/setup/environment.js after the last test).
    await sleep(500);
    // SERVICE_UNAVAILABLE is a right answer too: on a saturated machine the embedded server can
    // leave every command, the health ping included, unanswered for a second or more
    // (docs/resilience.md, "Noticing a database that stops answering").
    expect([...codes.keys()].filter((code) => !["ok", "TIMEOUT", "OVERLOADED", "SERVICE_UNAVAILABLE"].includes(code))).toEqual([]);
    expect(codes.get("TIMEOUT")).toBeGreaterThan(0);
  });
});

describe("a request that may not start its next query", () => {
  it("leaves the queries it already started with a handler (the summary's three aggregations)", async () => {
    let checks = 0;
    // The caller hangs up right after the first aggregation started (it reads `destroyed` once per
    // query); the first aggregation then runs out of its 50 ms inside the server.
    const socket = {
      get destroyed() {
        return checks++ > 0;
      },
    };
    const deps = { config: loadConfig({}), client: database.client, db: database.db, logger: pino({ level: "silent" }) };
    const ctx = createRequestContext(deps, { requestId: "r1", headers: {}, deadline: Date.now() + 50, socket }, { principal: "test", anonymous: false, scope: AccessScope.ALL });
    await expect(Summaries.of(ctx).dashboard()).rejects.toBeInstanceOf(CallerGoneError);
    // Long enough for the first aggregation to end: its rejection, if unhandled, fails this test.
    await sleep(1_000);
    // Each aggregation asked to start, and the two late ones were refused.
    expect(checks).toBe(3);
  });
});

describe("npm start's process", () => {
  it("logs an unhandled rejection at error level, counts it, and goes on", async () => {
    const lines: Array<{ level: number; msg: string; err?: { message: string } }> = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const metrics = new Metrics();
    // Node emits the event on the process; jest would fail this test on a real one.
    const node = new EventEmitter();
    const stop = surviveUnhandledRejections(logger, () => metrics, node);
    const lost = Promise.reject(new Error("deliberately unhandled"));
    lost.catch(() => undefined);
    expect(node.emit("unhandledRejection", await lost.catch((e: unknown) => e), lost)).toBe(true);
    stop();
    expect(node.listenerCount("unhandledRejection")).toBe(0);
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: expect.stringContaining("unhandled promise rejection"), err: expect.objectContaining({ message: "deliberately unhandled" }) })]);
    expect(await metrics.registry.getSingleMetricAsString("procgraph_unhandled_rejections_total")).toContain("procgraph_unhandled_rejections_total 1");
  });
});
