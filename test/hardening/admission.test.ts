import { EventEmitter } from "node:events";
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent } from "mongodb";
import type { NextFunction, Request, Response } from "express";
import { Admission, type Overload } from "../../src/http/admission";
import { Metrics } from "../../src/observability/metrics";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const database = useTestDatabase();
const server = useTestServer(database, { MAX_CONCURRENT_REQUESTS: "1", MAX_QUEUED_REQUESTS: "1" });

// A pattern no process matches: the search scans every process name, which holds the single slot a while.
const SLOW = `{ processes(filter: { namePattern: "*no-such-process*" }, first: 1) { totalCount } }`;
const FAST = `{ processes(first: 1) { totalCount } }`;
const QUEUE_FULL = "the server is at its limit of 1 concurrent requests (MAX_CONCURRENT_REQUESTS) with 1 waiting (MAX_QUEUED_REQUESTS); try again shortly";

beforeAll(async () => {
  const processes = Array.from({ length: 40_000 }, (_, i) => ({
    bk_process_id: i + 1,
    bk_biz_id: 2,
    bk_supplier_account: "0",
    bk_process_name: `process-${i}-${"x".repeat(40)}`,
  }));
  for (let i = 0; i < processes.length; i += 10_000) await database.db.collection("cc_Process").insertMany(processes.slice(i, i + 10_000));
});

const graphql = (query: string, signal?: AbortSignal) =>
  server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }), signal });
const cmdbRest = () =>
  server.request("/api/v3/findmany/proc/process_related_info/biz/2", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
const paasRest = () => server.request("/api/bkapps/applications/example/envs/prod/processes/list/");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds the only slot with a slow search and fills the queue with a second one; the caller's requests come third. */
async function withFullServer<T>(third: () => Promise<T>): Promise<T> {
  const holder = graphql(SLOW);
  await sleep(100);
  const queued = graphql(SLOW);
  await sleep(100);
  const startedAt = Date.now();
  const result = await third();
  // Refused at once, not after the slow requests.
  expect(Date.now() - startedAt).toBeLessThan(500);
  expect((await holder).status).toBe(200);
  expect((await queued).status).toBe(200);
  return result;
}

describe("admission control (MAX_CONCURRENT_REQUESTS=1, MAX_QUEUED_REQUESTS=1)", () => {
  it("holds the slot long enough for these tests (the search takes more than 300 ms)", async () => {
    const startedAt = Date.now();
    const response = await graphql(SLOW);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { processes: { totalCount: 0 } } });
    expect(Date.now() - startedAt).toBeGreaterThan(300);
  });

  it("refuses a GraphQL operation beyond the queue at once: 503 OVERLOADED naming the limit", async () => {
    const response = await withFullServer(() => graphql(FAST));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual({ errors: [{ message: QUEUE_FULL, extensions: { code: "OVERLOADED" } }] });
  });

  it("refuses CMDB REST in upstream's envelope (1199997 too many requests) and PaaS REST in its own", async () => {
    const [cmdb, paas] = await withFullServer(() => Promise.all([cmdbRest(), paasRest()]));
    expect(cmdb.status).toBe(503);
    expect(await cmdb.json()).toEqual({ result: false, bk_error_code: 1199997, bk_error_msg: "too many requests", permission: null, data: null });
    expect(paas.status).toBe(503);
    expect(await paas.json()).toEqual({ code: "OVERLOADED", detail: QUEUE_FULL });
  });

  it("answers normally afterwards, never queues health and metrics, and counts the refusals", async () => {
    const response = await graphql(FAST);
    expect(response.status).toBe(200);
    const holder = graphql(SLOW);
    await sleep(100);
    expect((await server.request("/healthz")).status).toBe(200);
    expect((await server.request("/readyz")).status).toBe(200);
    const metrics = await (await server.request("/metrics")).text();
    expect((await holder).status).toBe(200);
    expect(metrics).toMatch(/^procgraph_overload_refusals_total\{reason="queue_full"\} 3$/m);
    expect(metrics).toMatch(/^procgraph_admission_queue_length 0$/m);
  });
});

describe("a GraphQL client that hangs up (MAX_CONCURRENT_REQUESTS=1)", () => {
  // Unhurried, this search sends find:cc_Process (the slow scan), then find:paas_processes and two counts.
  const HUNG_UP = `{ processes(filter: { namePattern: "*no-such-process*" }, first: 1) { totalCount nodes { id } } }`;

  it("holds the slot until its query in flight ends, then sends no further query; the next request runs after it", async () => {
    const timeline: string[] = [];
    const labels = new Map<number, string>();
    const started = (event: CommandStartedEvent) => {
      if (event.databaseName !== database.db.databaseName || event.commandName === "getMore") return;
      const label = `${JSON.stringify(event.command).includes("no\\\\-such") ? "hung-up" : "next"} ${event.commandName}:${String(event.command[event.commandName])}`;
      labels.set(event.requestId, label);
      timeline.push(`start ${label}`);
    };
    const ended = (event: CommandSucceededEvent | CommandFailedEvent) => {
      const label = labels.get(event.requestId);
      if (label) timeline.push(`end ${label}`);
    };
    database.client.on("commandStarted", started).on("commandSucceeded", ended).on("commandFailed", ended);
    try {
      const abort = new AbortController();
      const hungUp = graphql(HUNG_UP, abort.signal).catch((error: Error) => error.name);
      // Hang up while its first query runs (a fixed sleep could end before it starts on a slow machine).
      for (let waited = 0; !timeline.includes("start hung-up find:cc_Process") && waited < 10_000; waited += 5) await sleep(5);
      abort.abort();
      expect(await hungUp).toBe("AbortError");
      const next = await graphql(FAST);
      expect(next.status).toBe(200);
    } finally {
      database.client.off("commandStarted", started).off("commandSucceeded", ended).off("commandFailed", ended);
    }
    expect(timeline.slice(0, 2)).toEqual(["start hung-up find:cc_Process", "end hung-up find:cc_Process"]);
    expect(timeline.slice(2).length).toBeGreaterThan(0);
    expect(timeline.slice(2).filter((entry) => !entry.includes(" next "))).toEqual([]);
  });
});

/** Lets the promise reactions queued so far run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** An Express request/response pair that closes when the test says so. */
function exchange(deadline: number) {
  const res = Object.assign(new EventEmitter(), { headers: {} as Record<string, string>, setHeader: (k: string, v: string) => (res.headers[k] = v) });
  return { req: { deadline } as Request, res: res as unknown as Response & EventEmitter, close: () => res.emit("close") };
}

describe("the admission queue", () => {
  it("refuses a request whose deadline passes while it waits, admits in order, and frees slots on close (REST)", async () => {
    const metrics = new Metrics();
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 2 }, 15_000, metrics);
    const refused: Overload[] = [];
    const admitted: string[] = [];
    const admit = admission.middleware((_res, overload) => refused.push(overload));
    const run = (name: string, deadline: number) => {
      const pair = exchange(deadline);
      admit(pair.req, pair.res, (() => admitted.push(name)) as NextFunction);
      return pair;
    };
    const first = run("first", Date.now() + 15_000);
    const late = run("late", Date.now() + 50);
    const patient = run("patient", Date.now() + 15_000);
    expect(admitted).toEqual(["first"]);
    // The gauge is read when scraped: it shows who waits now.
    expect((await metrics.admissionQueueLength.get()).values[0].value).toBe(2);
    await sleep(100);
    expect(refused).toEqual([{ code: "OVERLOADED", reason: "deadline", status: 503, message: expect.stringContaining("until its deadline of 15000 ms (REQUEST_TIMEOUT_MS)") }]);
    expect((await metrics.registry.getSingleMetricAsString("procgraph_overload_refusals_total")).split("\n")).toContain('procgraph_overload_refusals_total{reason="deadline"} 1');
    expect((await metrics.admissionQueueLength.get()).values[0].value).toBe(1);
    first.close();
    await settled();
    expect(admitted).toEqual(["first", "patient"]);
    patient.close();
    late.close();
    await settled();
    run("next", Date.now() + 15_000);
    expect(admitted).toEqual(["first", "patient", "next"]);
    expect((await metrics.admissionQueueLength.get()).values[0].value).toBe(0);
  });
});

describe("work whose client hung up", () => {
  it("keeps its slot until the work settles: the next request waits for it, not for the socket", async () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 1 }, 15_000, new Metrics());
    const started: string[] = [];
    let finishFirst = () => undefined as void;
    const first = exchange(Date.now() + 15_000);
    admission.admit(first.req, first.res, () => undefined, () => {
      started.push("first");
      return new Promise<void>((resolve) => (finishFirst = resolve));
    });
    const second = exchange(Date.now() + 15_000);
    admission.admit(second.req, second.res, () => undefined, async () => {
      started.push("second");
    });
    first.close();
    await settled();
    expect(started).toEqual(["first"]);
    finishFirst();
    await settled();
    expect(started).toEqual(["first", "second"]);
  });
});
