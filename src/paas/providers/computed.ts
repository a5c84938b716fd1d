import type { AppDoc, InstanceDoc, ProcessDoc, ProcessSpecDoc, ResourceQuantities } from "../collections";
import { envScope } from "../ids";

/**
 * The values computed when a response is built and never stored (docs/paas.md, "Computed values"). REST and
 * GraphQL both call these; nothing else computes them.
 */

export function failedCount(process: Pick<ProcessDoc, "replicas" | "success">): number {
  return Math.max(process.replicas - process.success, 0);
}

/** The last `-`-separated segment of the pod name (`example--web-699599bf76-78jzf` → `78jzf`). */
export function displayName(instanceName: string): string {
  const at = instanceName.lastIndexOf("-");
  return at < 0 ? instanceName : instanceName.slice(at + 1);
}

/** `http://{bkapp_name}--{type}.bkapp-{code}-{env}`: the cloud-native rule, for every app type (docs/paas.md, "Computed values"). */
export function clusterLink(envId: string, processType: string, moduleIsDefault: boolean): string {
  const { appCode, moduleName, environment } = envScope(envId);
  const bkappName = moduleIsDefault ? appCode : `${appCode}-m-${moduleName}`;
  return `http://${bkappName}--${processType}.bkapp-${appCode}-${environment}`;
}

/** Cloud-native apps derive it from the replicas; other types use the stored value. */
export function targetStatus(spec: Pick<ProcessSpecDoc, "target_replicas" | "target_status">, appType: AppDoc["type"]): "start" | "stop" {
  if (appType === "cloud_native") return spec.target_replicas === 0 ? "stop" : "start";
  return spec.target_status === "stop" ? "stop" : "start";
}

/** CPU in millicores (`"4"` → 4000, `"500m"` → 500). */
export function cpuMillicores(quantity: string): number {
  const value = quantity.trim();
  const millicores = value.endsWith("m") ? Number(value.slice(0, -1)) : Number(value) * 1000;
  return value !== "" && Number.isFinite(millicores) ? Math.floor(millicores) : 0;
}

const MEMORY_UNITS: Record<string, (n: number) => number> = {
  Gi: (n) => n * 1024,
  Mi: (n) => n,
  Ki: (n) => n / 1024,
  "": (n) => n / 1048576,
};

/** Memory in MiB (`Gi` ×1024, `Mi` ×1, `Ki` ÷1024 and bytes ÷1048576, rounded down). */
export function memoryMebibytes(quantity: string): number {
  const match = /^([0-9.]+)(Gi|Mi|Ki|)$/.exec(quantity.trim());
  if (!match) return 0;
  return Math.floor(MEMORY_UNITS[match[2]](Number(match[1])));
}

export function resourceLimitQuota(limit: ResourceQuantities): { cpu: number; memory: number } {
  return { cpu: cpuMillicores(limit.cpu), memory: memoryMebibytes(limit.memory) };
}

/** Upstream's display rule: a `Running` instance that is not ready is shown as `Starting`. */
export function displayState(instance: Pick<InstanceDoc, "state" | "ready">): string {
  return instance.state === "Running" && !instance.ready ? "Starting" : instance.state;
}

/** `displayState` as an aggregation expression over a `paas_instances` document (the summaries count by it). */
export const DISPLAY_STATE_EXPRESSION = { $cond: [{ $and: [{ $eq: ["$state", "Running"] }, { $ne: ["$ready", true] }] }, "Starting", "$state"] };

/** Versions compare by numeric value: the instance string `"3"` equals the process integer `3`. */
export function versionNumber(version: number | string | null | undefined): number {
  const value = Number(version);
  return Number.isFinite(value) ? value : 0;
}

export function isLatestVersion(instance: Pick<InstanceDoc, "version">, process: Pick<ProcessDoc, "version">): boolean {
  return versionNumber(instance.version) === versionNumber(process.version);
}

/** `2024-08-16T02:07:55Z`: Kubernetes' second precision, milliseconds only when there are any. */
export function isoTime(value: Date | null | undefined): string | null {
  if (!value) return null;
  const iso = new Date(value).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
