import DataLoader from "dataloader";
import type { Document } from "mongodb";
import { CmdbCollection, type CmdbCollectionName } from "../../cmdb/collections";
import { CmdbStore } from "../../cmdb/providers/store";
import type { RequestContext } from "../../graphql/context";
import { ProcessHealthStatus } from "../../graphql/process";
import { DISPLAY_STATE_EXPRESSION } from "../../paas/providers/computed";
import { PaasStore } from "../../paas/providers/store";
import type { CmdbBusinessSummary, DashboardSummary, HealthCounts, HealthCountsByKey, PaasAppSummary, SummaryCount } from "../types/summary";
import { APP_BUSINESS_LINKS } from "../collections";
import { PAAS_HEALTH_EXPRESSION } from "./processes";
import { CrossModelStore } from "./store";

/*
 * Dashboard summaries: every count is a MongoDB aggregation ($match, $project, $lookup, $facet,
 * $group, $sort); Node only hands each group's count to the business or app it belongs to. Each
 * summary kind is batched: the summaries of many apps (or businesses) of one request cost the same
 * few aggregations as one.
 */

/** Grouped rows come in one batch: a summary groups by app, business, module or set, never by row. */
const SUMMARY_BATCH = 100_000;

const HEALTH_FIELD: Record<ProcessHealthStatus, keyof Omit<HealthCounts, "total">> = {
  [ProcessHealthStatus.HEALTHY]: "healthy",
  [ProcessHealthStatus.UNHEALTHY]: "unhealthy",
  [ProcessHealthStatus.STOPPED]: "stopped",
  [ProcessHealthStatus.UNKNOWN]: "unknown",
};

const emptyHealth = (): HealthCounts => ({ total: 0, healthy: 0, unhealthy: 0, stopped: 0, unknown: 0 });

function addHealth(target: HealthCounts, status: unknown, count: number): HealthCounts {
  const field = HEALTH_FIELD[status as ProcessHealthStatus];
  if (field) target[field] += count;
  target.total += count;
  return target;
}

function sumHealth(counts: HealthCounts[]): HealthCounts {
  const total = emptyHealth();
  for (const c of counts) for (const key of Object.keys(total) as Array<keyof HealthCounts>) total[key] += c[key];
  return total;
}

/** Grouped rows `{_id: {of, key}, n, label?}` as counts per `of`. */
function countsBy(rows: Document[]): Map<unknown, SummaryCount[]> {
  const result = new Map<unknown, SummaryCount[]>();
  for (const row of rows) {
    const of = row._id?.of ?? null;
    const key = row._id?.key;
    const list = result.get(of) ?? [];
    list.push({ key: key === undefined || key === null ? null : String(key), label: typeof row.label === "string" ? row.label : null, count: row.n as number });
    result.set(of, list);
  }
  return result;
}

/** Grouped rows `{_id: {of, key: status}, n}` as health counts per `of`. */
function healthBy(rows: Document[]): Map<unknown, HealthCounts> {
  const result = new Map<unknown, HealthCounts>();
  for (const row of rows) {
    const of = row._id?.of ?? null;
    result.set(of, addHealth(result.get(of) ?? emptyHealth(), row._id?.key, row.n as number));
  }
  return result;
}

const group = (of: unknown, key: unknown, extra: Document = {}) => [{ $group: { _id: { of, key }, n: { $sum: 1 }, ...extra } }, { $sort: { "_id.of": 1, "_id.key": 1 } }];
const segment = (field: string, index: number) => ({ $arrayElemAt: [{ $split: [field, "/"] }, index] });
const first = (path: string) => ({ $arrayElemAt: [path, 0] });

export class Summaries {
  private readonly apps: DataLoader<string, PaasAppSummary>;
  private readonly businesses: DataLoader<number, CmdbBusinessSummary>;

  private constructor(private readonly ctx: RequestContext) {
    this.apps = new DataLoader((codes) => this.loadApps(codes));
    this.businesses = new DataLoader((ids) => this.loadBusinesses(ids));
  }

  static of(ctx: RequestContext): Summaries {
    return ctx.loaders.get("graph:summaries", () => new Summaries(ctx));
  }


  /** A `$match` on `field` for `codes` (or every app) within the caller's apps (the PaaS store's condition); null when none is left. */
  private paasMatch(field: "_id" | "env_id", codes?: readonly string[]): Document | null {
    const condition = PaasStore.of(this.ctx).appsCondition(field, codes);
    return condition && { $match: condition };
  }

  /** The summary of an app the caller may read (the field is reached through a scoped app). */
  app(code: string): Promise<PaasAppSummary> {
    return this.apps.load(code);
  }

  business(bizId: number): Promise<CmdbBusinessSummary> {
    return this.businesses.load(bizId);
  }

  private async loadApps(codes: readonly string[]): Promise<PaasAppSummary[]> {
    const processMatch = this.paasMatch("_id", codes);
    const instanceMatch = this.paasMatch("env_id", codes);
    const [processes, instances] = await Promise.all([
      processMatch
        ? PaasStore.of(this.ctx).aggregateProcesses([
            processMatch,
            { $project: { _id: 0, app: segment("$_id", 0), env: "$env_id", status: PAAS_HEALTH_EXPRESSION } },
            { $facet: { health: group("$app", "$status"), byEnv: group("$app", "$env") } },
          ], SUMMARY_BATCH)
        : [],
      instanceMatch
        ? PaasStore.of(this.ctx).aggregateInstances([
            instanceMatch,
            { $project: { _id: 0, app: segment("$env_id", 0), env: "$env_id", state: DISPLAY_STATE_EXPRESSION } },
            { $facet: { byState: group("$app", "$state"), byEnv: group("$app", "$env") } },
          ], SUMMARY_BATCH)
        : [],
    ]);
    const health = healthBy(processes[0]?.health ?? []);
    const processesByEnv = countsBy(processes[0]?.byEnv ?? []);
    const byState = countsBy(instances[0]?.byState ?? []);
    const instancesByEnv = countsBy(instances[0]?.byEnv ?? []);
    return codes.map((code) => ({
      health: health.get(code) ?? emptyHealth(),
      instanceCount: (byState.get(code) ?? []).reduce((sum, c) => sum + c.count, 0),
      instancesByState: byState.get(code) ?? [],
      processesByEnvironment: processesByEnv.get(code) ?? [],
      instancesByEnvironment: instancesByEnv.get(code) ?? [],
    }));
  }

  private async loadBusinesses(ids: readonly number[]): Promise<CmdbBusinessSummary[]> {
    const store = CmdbStore.of(this.ctx);
    // The store adds the owner and access scopes; null when none of the businesses is allowed.
    const allowed = ids.filter((id) => this.ctx.scope.allowsCmdbBusiness(id));
    const processMatch = allowed.length === 0 ? null : store.scoped({ bk_biz_id: { $in: allowed } });
    // The joined collections' names carry the tenant prefix: the store names them.
    const lookup = (from: CmdbCollectionName, localField: string, foreignField: string, as: string) => ({ $lookup: { from: store.collection(from).collectionName, localField, foreignField, as } });
    const [facets, appCodes] = await Promise.all([
      !processMatch
        ? []
        : store.aggregateProcesses([
            { $match: processMatch },
            // SecantusDB does not map `$array.field` over an array in expressions: take the joined
            // document first, then its field (the same result on MongoDB).
            lookup(CmdbCollection.serviceInstance, "service_instance_id", "id", "si"),
            { $project: { _id: 0, biz: "$bk_biz_id", si: first("$si") } },
            { $project: { biz: 1, module: "$si.bk_module_id" } },
            lookup(CmdbCollection.module, "module", "bk_module_id", "m"),
            { $project: { biz: 1, module: 1, m: first("$m") } },
            { $project: { biz: 1, module: 1, moduleName: "$m.bk_module_name", set: "$m.bk_set_id" } },
            lookup(CmdbCollection.set, "set", "bk_set_id", "s"),
            { $project: { biz: 1, module: 1, moduleName: 1, set: 1, s: first("$s") } },
            { $project: { biz: 1, module: 1, moduleName: 1, set: 1, setName: "$s.bk_set_name" } },
            { $facet: { byModule: group("$biz", "$module", { label: { $first: "$moduleName" } }), bySet: group("$biz", "$set", { label: { $first: "$setName" } }) } },
          ], SUMMARY_BATCH),
      Promise.all(ids.map((id) => (this.ctx.scope.allowsCmdbBusiness(id) ? CrossModelStore.of(this.ctx).appsOfBusiness(id) : []))),
    ]);
    const byModule = countsBy(facets[0]?.byModule ?? []);
    const bySet = countsBy(facets[0]?.bySet ?? []);
    const appSummaries = await Promise.all(appCodes.map((codes) => Promise.all(codes.map((code) => this.app(code)))));
    return ids.map((id, i) => {
      const apps: HealthCountsByKey[] = appCodes[i].map((code, j) => ({ key: code, health: appSummaries[i][j].health }));
      const processesByModule = byModule.get(id) ?? [];
      const processCount = processesByModule.reduce((sum, c) => sum + c.count, 0);
      return {
        processCount,
        processesBySet: bySet.get(id) ?? [],
        processesByModule,
        health: sumHealth([addHealth(emptyHealth(), ProcessHealthStatus.UNKNOWN, processCount), ...apps.map((a) => a.health)]),
        paasApps: apps,
      };
    });
  }

  /** The root summary over everything the caller may read: three aggregations. */
  async dashboard(): Promise<DashboardSummary> {
    return (await this.dashboardCounts()).summary;
  }

  /** The root summary, with the CMDB process count per business it is made of (for the health history). */
  async dashboardCounts(): Promise<{ summary: DashboardSummary; cmdbByBusiness: Map<number | null, number> }> {
    const store = CmdbStore.of(this.ctx);
    const cmdbMatch = store.scoped({});
    const processMatch = this.paasMatch("_id");
    const instanceMatch = this.paasMatch("env_id");
    const [cmdb, processes, instances] = await Promise.all([
      cmdbMatch ? store.aggregateProcesses([{ $match: cmdbMatch }, ...group("$bk_biz_id", ProcessHealthStatus.UNKNOWN)], SUMMARY_BATCH) : [],
      processMatch
        ? PaasStore.of(this.ctx).aggregateProcesses([
            processMatch,
            { $project: { _id: 0, app: segment("$_id", 0), status: PAAS_HEALTH_EXPRESSION } },
            { $lookup: { from: APP_BUSINESS_LINKS, localField: "app", foreignField: "_id", as: "link" } },
            { $project: { app: 1, status: 1, link: first("$link") } },
            { $project: { app: 1, status: 1, biz: "$link.bk_biz_id" } },
            { $facet: { byApp: group("$app", "$status"), byBusiness: group("$biz", "$status") } },
          ], SUMMARY_BATCH)
        : [],
      instanceMatch
        ? PaasStore.of(this.ctx).aggregateInstances([
            instanceMatch,
            { $project: { _id: 0, state: DISPLAY_STATE_EXPRESSION, env: segment("$env_id", 2) } },
            { $facet: { byState: group(null, "$state"), byEnv: group(null, "$env") } },
          ], SUMMARY_BATCH)
        : [],
    ]);
    const byApp = healthBy(processes[0]?.byApp ?? []);
    const byBusiness = healthBy([...cmdb, ...(processes[0]?.byBusiness ?? [])]);
    byBusiness.delete(null);
    const instancesByState = countsBy(instances[0]?.byState ?? []).get(null) ?? [];
    const apps = [...byApp].map(([code, health]) => ({ key: String(code), health }));
    const paasHealth = sumHealth(apps.map((a) => a.health));
    const cmdbProcessCount = cmdb.reduce((sum, row) => sum + (row.n as number), 0);
    const cmdbByBusiness = new Map<number | null, number>(cmdb.map((row) => [typeof row._id?.of === "number" ? row._id.of : null, row.n as number]));
    const summary: DashboardSummary = {
      health: addHealth({ ...paasHealth }, ProcessHealthStatus.UNKNOWN, cmdbProcessCount),
      cmdbProcessCount,
      paasProcessCount: paasHealth.total,
      paasInstanceCount: instancesByState.reduce((sum, c) => sum + c.count, 0),
      instancesByState,
      instancesByEnvironment: countsBy(instances[0]?.byEnv ?? []).get(null) ?? [],
      byApp: apps,
      byBusiness: [...byBusiness]
        .filter(([bizId]) => typeof bizId === "number" && this.ctx.scope.allowsCmdbBusiness(bizId))
        .sort(([a], [b]) => (a as number) - (b as number))
        .map(([bizId, health]) => ({ key: String(bizId), health })),
    };
    return { summary, cmdbByBusiness };
  }
}
