import { Long } from "mongodb";
import { CmdbCollection } from "../../src/cmdb/collections";
import type { AppDeps } from "../../src/graphql/context";
import { takeHealthSample } from "../../src/crossmodel/providers/healthHistory";
import { HEALTH_HISTORY } from "../../src/crossmodel/collections";
import { ensureHealthHistoryIndexes } from "../../src/crossmodel/indexes";
import { GraphDashboardSummaryDocument, GraphHealthHistoryDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertGraphFixture, tokensFile } from "../helpers/crossModelFixture";

const SCOPED = "token-graph-history-biz2-0123456789";
const NOTHING = "token-graph-history-none-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, {
  TOKENS_FILE: tokensFile({
    "biz2-example": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example"] } },
    nothing: { token: NOTHING, scope: { cmdbBusinesses: [], paasApps: [] } },
  }),
});
const scoped = { authorization: `Bearer ${SCOPED}` };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// A fixed slot grid, 10 minutes after a whole hour (so a 2-minute step starts on a sample).
const T0 = Date.UTC(2026, 0, 5, 8, 10);
const iso = (ms: number) => new Date(ms).toISOString();

/** The server's deps with sampling every minute, kept an hour. */
const sampler = (): AppDeps => {
  const deps = server.running.deps;
  return { ...deps, config: { ...deps.config, healthHistory: { intervalMs: MINUTE, retentionMs: HOUR } } };
};
const history = async (variables: Parameters<typeof server.graphql<unknown, unknown>>[1], headers: Record<string, string> = {}) =>
  server.graphql(GraphHealthHistoryDocument, variables as never, headers);
const counts = ({ total, healthy, unhealthy, stopped, unknown }: { total: number; healthy: number; unhealthy: number; stopped: number; unknown: number }) => ({
  total,
  healthy,
  unhealthy,
  stopped,
  unknown,
});

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

describe("health history", () => {
  it("a sample holds what dashboardSummary counts, overall, per business and per app, for any scope", async () => {
    expect(await takeHealthSample(sampler(), T0 + 1_234)).toBe(true);
    // One writer per slot: a second instance (or tick) in the same slot finds the sample and skips it.
    expect(await takeHealthSample(sampler(), T0 + 30_000)).toBe(false);
    expect(await database.db.collection(HEALTH_HISTORY).countDocuments({})).toBe(1);
    // Two instances racing for a fresh slot: both aggregate, one insert wins, the other is ignored.
    const raced = await Promise.all([takeHealthSample(sampler(), T0 - 5 * MINUTE), takeHealthSample(sampler(), T0 - 5 * MINUTE + 10)]);
    expect(raced.sort()).toEqual([false, true]);
    expect(await database.db.collection(HEALTH_HISTORY).countDocuments({ _id: T0 - 5 * MINUTE } as never)).toBe(1);
    await database.db.collection(HEALTH_HISTORY).deleteOne({ _id: T0 - 5 * MINUTE } as never);

    for (const headers of [{}, scoped]) {
      const summary = (await server.graphql(GraphDashboardSummaryDocument, undefined, headers)).data!.dashboardSummary;
      const overall = await history({ from: iso(T0), to: iso(T0 + MINUTE - 1), step: 60 }, headers);
      expect(overall.errors).toBeUndefined();
      expect(overall.data!.healthHistory).toEqual([{ time: iso(T0), key: null, ...counts(summary.health) }]);
      const byBusiness = await history({ from: iso(T0), to: iso(T0), step: 60, groupBy: "BUSINESS" }, headers);
      expect(byBusiness.data!.healthHistory).toEqual(summary.byBusiness.map((b) => ({ time: iso(T0), key: b.key, ...counts(b.health) })));
      const byApp = await history({ from: iso(T0), to: iso(T0), step: 60, groupBy: "APP" }, headers);
      expect(byApp.data!.healthHistory).toEqual(summary.byApp.map((a) => ({ time: iso(T0), key: a.key, ...counts(a.health) })));
    }
    // The scoped caller's figures are its own (hand-computed from the fixture: business 2's four
    // CMDB processes, the example app's three processes), not the totals.
    const scopedOverall = await history({ from: iso(T0), to: iso(T0), step: 60 }, scoped);
    expect(scopedOverall.data!.healthHistory).toEqual([{ time: iso(T0), key: null, total: 7, healthy: 1, unhealthy: 1, stopped: 1, unknown: 4 }]);
    const none = await history({ from: iso(T0), to: iso(T0), step: 60 }, { authorization: `Bearer ${NOTHING}` });
    expect(none.data!.healthHistory).toEqual([]);
  });

  it("per step, the step's last sample, at the step's start; steps without a sample have no point", async () => {
    // Business 2 gains a CMDB process after the first sample, and another after the second.
    const addProcess = (id: number) =>
      database.db.collection(CmdbCollection.process).insertOne({ bk_process_id: Long.fromNumber(id), bk_biz_id: Long.fromNumber(2), bk_process_name: `p${id}`, bk_supplier_account: "0" });
    await addProcess(1001);
    await takeHealthSample(sampler(), T0 + MINUTE);
    await addProcess(1002);
    await takeHealthSample(sampler(), T0 + 2 * MINUTE);
    // Nothing at T0 + 3 min; a sample at T0 + 6 min.
    await takeHealthSample(sampler(), T0 + 6 * MINUTE);

    const perMinute = await history({ from: iso(T0), to: iso(T0 + 10 * MINUTE), step: 60 });
    expect(perMinute.data!.healthHistory.map((p) => [p.time, p.total, p.unknown])).toEqual([
      [iso(T0), 8, 4],
      [iso(T0 + MINUTE), 9, 5],
      [iso(T0 + 2 * MINUTE), 10, 6],
      [iso(T0 + 6 * MINUTE), 10, 6],
    ]);
    // 2-minute steps start at multiples of 2 minutes since the epoch: T0 and T0+1min fall in one.
    const perTwo = await history({ from: iso(T0), to: iso(T0 + 10 * MINUTE), step: 120 });
    expect(perTwo.data!.healthHistory.map((p) => [p.time, p.total])).toEqual([
      [iso(T0), 9],
      [iso(T0 + 2 * MINUTE), 10],
      [iso(T0 + 6 * MINUTE), 10],
    ]);
    const perBusiness = await history({ from: iso(T0), to: iso(T0 + 10 * MINUTE), step: 600, groupBy: "BUSINESS" }, scoped);
    expect(perBusiness.data!.healthHistory).toEqual([{ time: iso(T0), key: "2", total: 9, healthy: 1, unhealthy: 1, stopped: 1, unknown: 6 }]);
  });

  it("keeps HEALTH_HISTORY_RETENTION: a TTL index on the sample time, and each sample trims what is older", async () => {
    await ensureHealthHistoryIndexes(database.db, HOUR);
    const ttl = (await database.db.collection(HEALTH_HISTORY).listIndexes().toArray()).find((index) => index.name === "time_ttl");
    expect(ttl).toMatchObject({ key: { time: 1 }, expireAfterSeconds: 3600 });
    // A changed retention remakes the index.
    await ensureHealthHistoryIndexes(database.db, 2 * HOUR);
    const again = (await database.db.collection(HEALTH_HISTORY).listIndexes().toArray()).find((index) => index.name === "time_ttl");
    expect(again).toMatchObject({ expireAfterSeconds: 7200 });

    const before = await database.db.collection(HEALTH_HISTORY).countDocuments({});
    expect(before).toBe(4);
    // An hour and a minute after the last sample: all four are past the retention.
    await takeHealthSample(sampler(), T0 + 6 * MINUTE + HOUR + MINUTE);
    const left = await database.db.collection(HEALTH_HISTORY).find({}, { projection: { _id: 1 } }).toArray();
    expect(left.map((doc) => doc._id)).toEqual([T0 + 7 * MINUTE + HOUR]);
  });

  it("refuses a range backwards, too many steps, and a step below one second with BAD_USER_INPUT", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ from: iso(T0 + HOUR), to: iso(T0) }, /is after to/],
      [{ from: iso(T0), to: iso(T0 + 24 * HOUR), step: 1 }, /86401 steps of 1 s; at most 2000/],
      [{ from: iso(T0), to: iso(T0 + HOUR), step: 0 }, /step must be a positive number of seconds/],
      [{ from: iso(T0), to: iso(T0 + HOUR), step: -5 }, /step must be a positive number of seconds/],
    ];
    for (const [variables, message] of cases) {
      const result = await history(variables);
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors![0].message).toMatch(message);
    }
    for (const from of ["yesterday", "2026-01-05", 1767600600]) {
      const bad = await history({ from });
      expect(bad.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    }
  });

  it("takes from and to as ISO-8601 or epoch milliseconds (Grafana's $__from, Wild GraphQL's from/to)", async () => {
    // A sample of its own, at the current minute: the retention test's TTL index (2 h) lets the
    // server's TTL monitor remove the January samples at any moment.
    // One clock read: two could fall either side of a minute and give a time that is not a minute's start.
    const clock = Date.now();
    const now = clock - (clock % MINUTE);
    await takeHealthSample(sampler(), now);
    const [from, to] = [now, now + HOUR];
    const iso8601 = await history({ from: iso(from), to: iso(to), step: 60 });
    const epochMs = await history({ from, to, step: 60 });
    const digits = await history({ from: String(from), to: String(to), step: 60 });
    expect(iso8601.data!.healthHistory.length).toBeGreaterThan(0);
    expect(epochMs.data).toEqual(iso8601.data);
    expect(digits.data).toEqual(iso8601.data);
  });
});

describe("the sampler of a running server", () => {
  const db2 = useTestDatabase();
  // Two instances on one database, sampling every second.
  const first = useTestServer(db2, { HEALTH_HISTORY_INTERVAL: "1s", HEALTH_HISTORY_RETENTION: "1m" });
  const second = useTestServer(db2, { HEALTH_HISTORY_INTERVAL: "1s", HEALTH_HISTORY_RETENTION: "1m" });

  it("samples once per slot across instances, with the TTL index in place", async () => {
    expect(first.url).not.toBe(second.url);
    const deadline = Date.now() + 20_000;
    let samples: Array<{ _id: number; sampledAt: Date }> = [];
    while (Date.now() < deadline && samples.length < 4) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      samples = await db2.db.collection<{ _id: number; sampledAt: Date }>(HEALTH_HISTORY).find({}).sort({ _id: 1 }).toArray();
    }
    expect(samples.length).toBeGreaterThanOrEqual(4);
    for (const sample of samples) expect(sample._id % 1000).toBe(0);
    const indexes = await db2.db.collection(HEALTH_HISTORY).listIndexes().toArray();
    expect(indexes.find((index) => index.name === "time_ttl")).toMatchObject({ expireAfterSeconds: 60 });
    const points = await first.graphql(GraphHealthHistoryDocument, { from: iso(samples[0]._id), to: iso(Date.now()), step: 1 });
    expect(points.errors).toBeUndefined();
    expect(points.data!.healthHistory.length).toBeGreaterThanOrEqual(4);
  }, 30_000);
});
