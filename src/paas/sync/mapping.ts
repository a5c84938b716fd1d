import type { InstanceDoc, PaasAppType, PaasEnvName, ProcessDoc, ProcessSpecDoc, ResourceQuantities, ScalingConfigDoc } from "../collections";
import { envId, isEnvName, isValidAppCode, isValidModuleName } from "../ids";
import type { KubeObject } from "./kubeClient";

/**
 * bk-paas's view of a cluster, rule by rule (docs/paas.md, "The mapping, rule by rule", names
 * the upstream file of each rule): a Deployment labelled as a bk-paas process becomes a process and
 * its package, each of its Pods an instance. Pure functions of the Kubernetes objects.
 */

const LABEL = "bkapp.paas.bk.tencent.com";
export const LABELS = {
  resourceType: `${LABEL}/resource-type`,
  processName: `${LABEL}/process-name`,
  code: `${LABEL}/code`,
  moduleName: `${LABEL}/module-name`,
  environment: `${LABEL}/environment`,
  deployId: `${LABEL}/bkpaas-deploy-id`,
} as const;
/** Deployments and Pods of bk-paas processes carry this label (the namespace-scoped readers select by it). */
export const PROCESS_SELECTOR = `${LABELS.resourceType}=process`;

/** upstream DEFAULT_PROC_CPU / _MEM and their requests: what a container without resources gets. */
const DEFAULT_LIMITS: ResourceQuantities = { cpu: "4000m", memory: "1024Mi" };
const DEFAULT_REQUESTS: ResourceQuantities = { cpu: "200m", memory: "256Mi" };
/** DEFAULT_CNATIVE_MAX_REPLICAS, and the built-in plans' max_replicas for default apps. */
const MAX_REPLICAS: Record<PaasAppType, number> = { cloud_native: 10, default: 5, engineless_app: 5 };

interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

interface ContainerState {
  running?: unknown;
  terminated?: { reason?: string; message?: string; exitCode?: number };
  waiting?: { reason?: string; message?: string };
}

interface ContainerStatus {
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** Where an object belongs in procgraph's model, from its bk-paas labels. */
export interface EnvKey {
  appCode: string;
  moduleName: string;
  environment: PaasEnvName;
  envId: string;
  appType: PaasAppType;
}

type Labels = Record<string, string | undefined>;

/** The module environment of an object, or null when its labels do not name a valid one. */
export function envKeyOf(object: KubeObject, appType: PaasAppType): EnvKey | null {
  const labels: Labels = object.metadata?.labels ?? {};
  const appCode = labels[LABELS.code];
  const moduleName = labels[LABELS.moduleName];
  const environment = labels[LABELS.environment];
  if (!appCode || !moduleName || !environment) return null;
  if (!isValidAppCode(appCode) || !isValidModuleName(moduleName) || !isEnvName(environment)) return null;
  return { appCode, moduleName, environment, envId: envId(appCode, moduleName, environment), appType };
}

/** Cloud-native apps stamp the deploy id on their workloads; default (Heroku-style) apps a `release_version` label. */
export function appTypeOf(object: KubeObject): PaasAppType {
  return object.metadata?.annotations?.[LABELS.deployId] !== undefined ? "cloud_native" : "default";
}

/** `extract_type_from_name`: the segment after the namespace in `{namespace}-{type}-…`. */
function typeFromName(name: string, namespace: string): string | null {
  const rest = name.split(namespace).pop() ?? "";
  const type = rest.split("-")[1];
  return type ? type : null;
}

/** process-name label, else the legacy `process_id`, else parsed from the name. */
export function processTypeOf(labels: Labels, name: string, namespace: string): string | null {
  return labels[LABELS.processName] || labels.process_id || typeFromName(name, namespace);
}

function toInt(value: string | undefined): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) ? n : 0;
}

/** Cloud-native: the deploy-id annotation; default apps: the `release_version` label (0 when missing). */
function versionOf(appType: PaasAppType, labels: Labels, annotations: Labels): number {
  return appType === "cloud_native" ? toInt(annotations[LABELS.deployId]) : toInt(labels.release_version);
}

/** The container named like the process type, else the first one (upstream also accepts the wl-app's scheduler name, which needs its database). */
function mainContainer(containers: Container[] | undefined, processType: string): Container | undefined {
  return containers?.find((c) => c.name === processType) ?? containers?.[0];
}

function commandOf(container: Container | undefined): string {
  return [...(container?.command ?? []), ...(container?.args ?? [])].join(" ");
}

export interface MappedDeployment {
  env: EnvKey;
  process: Omit<ProcessDoc, "_id">;
  spec: Omit<ProcessSpecDoc, "_id">;
}

export interface HorizontalPodAutoscaler extends KubeObject {
  spec?: { minReplicas?: number; maxReplicas?: number; scaleTargetRef?: { kind?: string; name?: string } };
}

/** A Deployment as bk-paas's `ProcessDeserializer` reads it, plus the package it implies. */
export function mapDeployment(deployment: KubeObject, hpa: HorizontalPodAutoscaler | undefined, cluster: string): MappedDeployment | null {
  const meta = deployment.metadata ?? {};
  const spec = (deployment.spec ?? {}) as { replicas?: number; template?: { metadata?: { labels?: Labels }; spec?: { containers?: Container[] } } };
  const status = (deployment.status ?? {}) as { availableReplicas?: number };
  const appType = appTypeOf(deployment);
  const env = envKeyOf(deployment, appType);
  if (!env || !meta.name) return null;
  const templateLabels: Labels = spec.template?.metadata?.labels ?? {};
  const type = processTypeOf(templateLabels, meta.name, meta.namespace ?? "");
  if (!type) return null;
  const container = mainContainer(spec.template?.spec?.containers, type);
  const replicas = spec.replicas ?? 1;
  const version = appType === "cloud_native" ? versionOf(appType, {}, meta.annotations ?? {}) : versionOf(appType, templateLabels, {});
  const limits = container?.resources?.limits ?? {};
  const requests = container?.resources?.requests ?? {};
  const scaling: ScalingConfigDoc | null = hpa
    ? { min_replicas: hpa.spec?.minReplicas ?? 1, max_replicas: hpa.spec?.maxReplicas ?? replicas, policy: "default" }
    : null;
  return {
    env,
    process: {
      env_id: env.envId,
      type,
      name: meta.name,
      command: commandOf(container),
      replicas,
      success: status.availableReplicas ?? 0,
      version,
      cluster,
    },
    spec: {
      env_id: env.envId,
      name: type,
      target_replicas: replicas,
      target_status: replicas === 0 ? "stop" : "start",
      max_replicas: MAX_REPLICAS[appType],
      resource_limit: { cpu: limits.cpu ?? DEFAULT_LIMITS.cpu, memory: limits.memory ?? DEFAULT_LIMITS.memory },
      resource_requests: { cpu: requests.cpu ?? DEFAULT_REQUESTS.cpu, memory: requests.memory ?? DEFAULT_REQUESTS.memory },
      plan_name: "default",
      autoscaling: scaling !== null,
      scaling_config: scaling,
      cluster,
    },
  };
}

type Health = { status: "healthy" | "unhealthy" | "progressing" | "unknown"; reason: string | null; message: string | null };

/** `get_container_failed_message_from_state`. */
function stateFailure(state: ContainerState | undefined): string | null {
  if (state?.terminated) {
    const t = state.terminated;
    if (t.message) return t.message;
    if (t.reason === "OOMKilled") return "OOMKilled";
    if (t.exitCode !== 0) return `failed with exit code ${t.exitCode}`;
  }
  if (state?.waiting) return state.waiting.message || state.waiting.reason || null;
  return null;
}

/** `get_any_container_fail_message`: the first container with a failure in its state, then its last state. */
function anyContainerFailure(statuses: ContainerStatus[]): string | null {
  for (const status of statuses) {
    const message = stateFailure(status.state) ?? stateFailure(status.lastState);
    if (message) return message;
  }
  return null;
}

/** `check_pod_health_status`. */
function podHealth(pod: KubeObject): Health {
  const status = (pod.status ?? {}) as { phase?: string; reason?: string; message?: string; conditions?: Condition[]; containerStatuses?: ContainerStatus[] };
  const restartPolicy = ((pod.spec ?? {}) as { restartPolicy?: string }).restartPolicy ?? "Always";
  const base = { reason: status.reason ?? null, message: status.message ?? null };
  const statuses = status.containerStatuses ?? [];
  const condition = (type: string) => (status.conditions ?? []).find((c) => c.type === type);
  switch (status.phase) {
    case "Succeeded":
      return { status: "healthy", ...base };
    case "Running": {
      if (restartPolicy !== "Always") return { status: "progressing", ...base };
      if (condition("Ready")?.status === "True") return { status: "healthy", ...base };
      const failure = anyContainerFailure(statuses);
      return failure ? { status: "unhealthy", reason: base.reason, message: failure } : { status: "progressing", ...base };
    }
    case "Failed": {
      if (status.message) return { status: "unhealthy", ...base };
      return { status: "unhealthy", reason: base.reason, message: anyContainerFailure(statuses) ?? "unknown" };
    }
    case "Pending": {
      const failure = anyContainerFailure(statuses);
      if (failure && failure !== "ContainerCreating" && failure !== "PodInitializing") return { status: "unhealthy", reason: base.reason, message: failure };
      const scheduled = condition("PodScheduled");
      if (scheduled?.status === "False" && (scheduled.reason === "Unschedulable" || scheduled.reason === "SchedulingGated")) {
        return { status: "unhealthy", reason: base.reason, message: scheduled.message ?? null };
      }
      return { status: "progressing", ...base };
    }
    default:
      return { status: "unknown", reason: status.phase || "unknown", message: base.message };
  }
}

/** `parse_instance_state`. */
function instanceState(phase: string | undefined, health: Health): string {
  switch (health.status) {
    case "unhealthy":
      return health.reason || "Failed";
    case "progressing":
      return "Pending";
    case "healthy":
      return phase === "Succeeded" ? "Succeeded" : "Running";
    default:
      return health.reason || "Unknown";
  }
}

/** `extract_rich_status`. */
function richStatus(phase: string | undefined, first: ContainerStatus | undefined): string {
  if (phase === "Pending" || !first) return "Pending";
  const state = first.state ?? {};
  if (state.running) return "Running";
  if (state.terminated) return state.terminated.reason ?? "Terminated";
  if (state.waiting) return state.waiting.reason ?? "Waiting";
  return "UnknownStatus";
}

export interface MappedPod {
  env: EnvKey;
  instance: Omit<InstanceDoc, "_id">;
}

/** A Pod as bk-paas's `InstanceDeserializer` reads it; null for pods bk-paas's reader would not list. */
export function mapPod(pod: KubeObject, cluster: string): MappedPod | null {
  const meta = pod.metadata ?? {};
  const appType = appTypeOf(pod);
  const env = envKeyOf(pod, appType);
  if (!env || !meta.name) return null;
  const labels: Labels = meta.labels ?? {};
  const type = processTypeOf(labels, meta.name, meta.namespace ?? "");
  if (!type) return null;
  const version = versionOf(appType, labels, meta.annotations ?? {});
  // InstanceReader.list_by_app_with_meta: default apps ignore pods without a valid release_version.
  if (appType === "default" && version <= 0) return null;
  const status = (pod.status ?? {}) as { phase?: string; hostIP?: string; startTime?: string; containerStatuses?: ContainerStatus[] };
  const health = podHealth(pod);
  const first = status.containerStatuses?.[0];
  const container = ((pod.spec ?? {}) as { containers?: Container[] }).containers?.find((c) => c.name === type);
  const terminated = first?.lastState?.terminated;
  return {
    env,
    instance: {
      env_id: env.envId,
      name: meta.name,
      process_type: type,
      image: container?.image ?? "",
      start_time: status.startTime ? new Date(status.startTime) : null,
      state: instanceState(status.phase, health),
      state_message: health.message,
      rich_status: richStatus(status.phase, first),
      ready: health.status === "healthy",
      restart_count: first?.restartCount ?? 0,
      // `{}` upstream when there is no container status: stored as null ("unknown").
      terminated_info: first ? { exit_code: terminated?.exitCode ?? null, reason: terminated?.reason ?? null } : null,
      version,
      host_ip: status.hostIP ?? null,
      cluster,
    },
  };
}
