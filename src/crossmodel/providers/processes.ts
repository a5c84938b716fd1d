import type { Document, Filter } from "mongodb";
import { CmdbManager } from "../../cmdb/providers/manager";
import { CmdbStore } from "../../cmdb/providers/store";
import type { RequestContext } from "../../graphql/context";
import { ProcessHealthStatus, ProcessSource } from "../../graphql/process";
import { appCodeOfKey } from "../../paas/ids";
import type { ProcessDoc } from "../../paas/collections";
import { PaasStore } from "../../paas/providers/store";
import { CrossModelStore } from "./store";

export interface HealthValue {
  status: ProcessHealthStatus;
  desired: number | null;
  available: number | null;
}

/*
 * Health semantics, in one place: the value of a document (for the `health` field) and the
 * equivalent MongoDB condition (for the search filter and the summaries) must agree.
 */

/** PaaS: STOPPED when no replica is desired, HEALTHY when all desired are available, else UNHEALTHY. */
export function paasHealth(process: Pick<ProcessDoc, "replicas" | "success">): HealthValue {
  const desired = Number(process.replicas ?? 0);
  const available = Number(process.success ?? 0);
  const status = desired <= 0 ? ProcessHealthStatus.STOPPED : available >= desired ? ProcessHealthStatus.HEALTHY : ProcessHealthStatus.UNHEALTHY;
  return { status, desired, available };
}

/** The aggregation expression of `paasHealth(...).status` over a `paas_processes` document. */
export const PAAS_HEALTH_EXPRESSION = {
  $cond: [
    { $lte: [{ $ifNull: ["$replicas", 0] }, 0] },
    ProcessHealthStatus.STOPPED,
    { $cond: [{ $gte: [{ $ifNull: ["$success", 0] }, "$replicas"] }, ProcessHealthStatus.HEALTHY, ProcessHealthStatus.UNHEALTHY] },
  ],
};

/** The `paas_processes` condition of one health status (UNKNOWN matches none: null). */
export function paasHealthCondition(status: ProcessHealthStatus): Filter<Document> | null {
  return status === ProcessHealthStatus.UNKNOWN ? null : { $expr: { $eq: [PAAS_HEALTH_EXPRESSION, status] } };
}

/** CMDB: bk-cmdb has no live state; desired is `proc_num` when set. */
export function cmdbHealth(process: Document): HealthValue {
  const desired = typeof process.proc_num === "number" ? process.proc_num : null;
  return { status: ProcessHealthStatus.UNKNOWN, desired, available: null };
}

/** How each model's process answers the Process interface's fields (resolved through the request's loaders). */
export interface ProcessAdapter {
  source: ProcessSource;
  /** Stored fields each interface field reads. */
  fields: Record<"name" | "hostIps" | "cmdbBusinessId" | "paasAppCode" | "environmentKey" | "health", readonly string[]>;
  name(process: Document): string;
  hostIps(ctx: RequestContext, process: Document): Promise<string[]>;
  cmdbBusinessId(ctx: RequestContext, process: Document): Promise<number | null>;
  paasAppCode(process: Document): string | null;
  environmentKey(process: Document): string | null;
  health(process: Document): HealthValue;
}

const sortedUnique = (values: unknown[]): string[] => [...new Set(values.filter((v): v is string => typeof v === "string" && v !== ""))].sort();

export const cmdbProcessAdapter: ProcessAdapter = {
  source: ProcessSource.CMDB,
  fields: { name: ["bk_process_name"], hostIps: ["bk_process_id"], cmdbBusinessId: ["bk_biz_id"], paasAppCode: [], environmentKey: [], health: ["proc_num"] },
  name: (process) => String(process.bk_process_name ?? ""),
  async hostIps(ctx, process) {
    const graph = CmdbManager.of(ctx);
    const hostId = (await graph.relationOf(process.bk_process_id))?.bk_host_id;
    if (typeof hostId !== "number") return [];
    const host = await CmdbStore.of(ctx).byId("host").load(hostId, new Set(["bk_host_innerip"]));
    return sortedUnique((host?.bk_host_innerip as unknown[] | undefined) ?? []);
  },
  cmdbBusinessId: async (_ctx, process) => (typeof process.bk_biz_id === "number" ? process.bk_biz_id : null),
  paasAppCode: () => null,
  environmentKey: () => null,
  health: cmdbHealth,
};

export const paasProcessAdapter: ProcessAdapter = {
  source: ProcessSource.PAAS,
  fields: { name: ["name"], hostIps: ["env_id", "type"], cmdbBusinessId: ["_id"], paasAppCode: ["_id"], environmentKey: ["env_id"], health: ["replicas", "success"] },
  name: (process) => String(process.name ?? ""),
  async hostIps(ctx, process) {
    const instances = await PaasStore.of(ctx).instancesOfEnv(process.env_id, new Set(["process_type", "host_ip"]));
    return sortedUnique(instances.filter((instance) => instance.process_type === process.type).map((instance) => instance.host_ip));
  },
  async cmdbBusinessId(ctx, process) {
    const bizId = await CrossModelStore.of(ctx).businessOfApp(appCodeOfKey(process._id));
    return bizId !== undefined && ctx.scope.allowsCmdbBusiness(bizId) ? bizId : null;
  },
  paasAppCode: (process) => appCodeOfKey(process._id),
  environmentKey: (process) => (typeof process.env_id === "string" ? process.env_id : null),
  health: (process) => paasHealth(process as ProcessDoc),
};
