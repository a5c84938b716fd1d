import os from "node:os";
import { AccessScope } from "../../auth/scope";
import { createRequestContext, type AppDeps, type RequestContext } from "../../graphql/context";
import { badUserInput } from "../../graphql/errors";
import { HealthHistoryGroup, type HealthHistoryPoint } from "../types/history";
import type { HealthCounts } from "../types/summary";
import type { HealthSampleDoc, HealthTuple } from "../collections";
import { ensureHealthHistoryIndexes } from "../indexes";
import { CrossModelStore } from "./store";
import { Summaries } from "./summaries";

/** A query's steps: more would be more points than any chart draws (Grafana's default is the panel's width). */
export const MAX_HISTORY_STEPS = 2_000;
/** Points in one answer (steps × series): a year of hourly points for a dozen apps, not every app every minute. */
export const MAX_HISTORY_POINTS = 100_000;
/** A query without `step` gets about this many. */
const DEFAULT_STEPS = 360;
const DEFAULT_RANGE_MS = 3_600_000;
/** How long stopping waits for a sample in flight. */
const STOP_WAIT_MS = 1_000;

const tuple = (h: HealthCounts): HealthTuple => [h.total, h.healthy, h.unhealthy, h.stopped, h.unknown];
const zero = (): HealthTuple => [0, 0, 0, 0, 0];
const add = (target: HealthTuple, h: HealthTuple) => {
  for (let i = 0; i < 5; i++) target[i] += h[i];
  return target;
};
const addUnknown = (target: HealthTuple, n: number) => {
  target[0] += n;
  target[4] += n;
  return target;
};

/**
 * Takes the sample of the slot `now` falls in, unless one exists: the same aggregations as
 * `dashboardSummary` (scope all) plus the app links. Returns whether this call wrote it.
 */
export async function takeHealthSample(deps: AppDeps, now = Date.now()): Promise<boolean> {
  const { intervalMs, retentionMs } = deps.config.healthHistory;
  const store = CrossModelStore.forDatabase(deps.db);
  const slot = now - (now % intervalMs);
  await store.trimSamples(now - retentionMs);
  if (await store.hasSample(slot)) return false;
  const ctx = createRequestContext(deps, { requestId: "health-history", headers: {} }, { principal: "health-history", anonymous: false, scope: AccessScope.ALL });
  const [{ summary, cmdbByBusiness }, businessOf] = await Promise.all([Summaries.of(ctx).dashboardCounts(), CrossModelStore.of(ctx).businessOfEveryApp()]);
  const sample: HealthSampleDoc = {
    _id: slot,
    time: new Date(slot),
    sampledAt: new Date(),
    apps: summary.byApp.map((app) => ({ k: app.key, b: businessOf.get(app.key) ?? null, h: tuple(app.health) })),
    businesses: [...cmdbByBusiness].map(([k, n]) => ({ k, n })),
  };
  return store.insertSample(sample);
}

/**
 * Samples every HEALTH_HISTORY_INTERVAL, at the start of each slot. Several instances on one
 * database race for a slot's `_id`: the first insert wins, the others find the sample and skip the
 * aggregations (docs/dashboards.md). Returns the stop function (waits for a sample in progress).
 */
export function startHealthSampler(deps: AppDeps): () => Promise<void> {
  const { intervalMs, retentionMs } = deps.config.healthHistory;
  if (intervalMs === 0) return async () => undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  // Made on the first tick that reaches MongoDB (a database down at start is retried next slot).
  let indexed = false;
  const sample = async () => {
    if (!indexed) await ensureHealthHistoryIndexes(deps.db, retentionMs);
    indexed = true;
    await takeHealthSample(deps);
  };
  const tick = () => {
    running = sample()
      .then(
        () => undefined,
        (err: unknown) => deps.logger.warn({ err, host: os.hostname() }, "health history: sample failed"),
      )
      .finally(() => {
        if (stopped) return;
        // A little after the next slot starts, so two instances' clocks need not agree to the millisecond.
        const now = Date.now();
        timer = setTimeout(tick, intervalMs - (now % intervalMs) + Math.min(250, intervalMs / 10));
        timer.unref();
      });
  };
  tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    // A sample in flight gets a moment to finish; shutdown does not wait on a frozen database for it
    // (it then fails on the closed client and is logged).
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(waited);
  };
}

export interface HealthHistoryArgs {
  from?: Date | null;
  to?: Date | null;
  /** Seconds. */
  step?: number | null;
  groupBy: HealthHistoryGroup;
}

/** The points of `healthHistory` for the caller's scope (docs/dashboards.md). */
export async function healthHistory(ctx: RequestContext, args: HealthHistoryArgs): Promise<HealthHistoryPoint[]> {
  const to = args.to?.getTime() ?? Date.now();
  const from = args.from?.getTime() ?? to - DEFAULT_RANGE_MS;
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw badUserInput("from and to must be valid dates", { argument: "from" });
  if (from > to) throw badUserInput(`from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`, { argument: "from" });
  const interval = ctx.config.healthHistory.intervalMs || 1_000;
  let stepMs: number;
  if (args.step === undefined || args.step === null) {
    stepMs = Math.max(interval, Math.ceil((to - from) / DEFAULT_STEPS / interval) * interval);
  } else {
    if (!Number.isSafeInteger(args.step) || args.step < 1) throw badUserInput("step must be a positive number of seconds", { argument: "step" });
    stepMs = args.step * 1000;
  }
  const steps = Math.floor(to / stepMs) - Math.floor(from / stepMs) + 1;
  if (steps > MAX_HISTORY_STEPS) {
    throw badUserInput(`from..to holds ${steps} steps of ${stepMs / 1000} s; at most ${MAX_HISTORY_STEPS}: a larger step or a shorter range`, {
      argument: "step",
      limit: MAX_HISTORY_STEPS,
    });
  }
  const { scope } = ctx;
  if (scope.noCmdbBusinesses && scope.noPaasApps) return [];
  const buckets = await CrossModelStore.of(ctx).lastSamplePerBucket(from, to, stepMs);
  const points: HealthHistoryPoint[] = [];
  for (const { bucket, apps, businesses } of buckets) {
    const time = new Date(bucket);
    for (const [key, h] of seriesOf(scope, args.groupBy, apps, businesses)) {
      points.push({ time, key, total: h[0], healthy: h[1], unhealthy: h[2], stopped: h[3], unknown: h[4] });
    }
    if (points.length > MAX_HISTORY_POINTS) {
      throw badUserInput(`more than ${MAX_HISTORY_POINTS} points (steps × series): a larger step, a shorter range, or groupBy OVERALL`, { argument: "step", limit: MAX_HISTORY_POINTS });
    }
  }
  return points;
}

/**
 * One sample's series within a scope, as `dashboardSummary` would have counted them for that caller:
 * overall and per-business figures are sums over what the scope allows, never the stored totals.
 */
function seriesOf(scope: AccessScope, groupBy: HealthHistoryGroup, apps: HealthSampleDoc["apps"], businesses: HealthSampleDoc["businesses"]): Array<[string | null, HealthTuple]> {
  const allowedApps = apps.filter((app) => scope.allowsPaasApp(app.k));
  // A process without a business is visible only to a caller that may see every business.
  const allowedBusinesses = businesses.filter((b) => (b.k === null ? scope.cmdbBusinesses === "all" : scope.allowsCmdbBusiness(b.k)));
  if (groupBy === HealthHistoryGroup.APP) return allowedApps.map((app) => [app.k, app.h]);
  if (groupBy === HealthHistoryGroup.OVERALL) {
    const total = zero();
    for (const b of allowedBusinesses) addUnknown(total, b.n);
    for (const app of allowedApps) add(total, app.h);
    return [[null, total]];
  }
  const perBusiness = new Map<number, HealthTuple>();
  for (const b of allowedBusinesses) if (b.k !== null) perBusiness.set(b.k, addUnknown(zero(), b.n));
  for (const app of allowedApps) {
    if (app.b === null || !scope.allowsCmdbBusiness(app.b)) continue;
    const h = perBusiness.get(app.b) ?? zero();
    perBusiness.set(app.b, add(h, app.h));
  }
  return [...perBusiness].sort(([a], [b]) => a - b).map(([k, h]) => [String(k), h]);
}
