/**
 * procgraph's own PaaS collections and the stored shape of their documents (docs/paas.md,
 * "Storage format", documents every field). Every document is keyed by a string `_id` built from
 * its natural key (see `ids.ts`), so a sync job can upsert without reading first and the loaders
 * can match any level by one scalar key. Only `PaasStore` and its write side `PaasWriter`
 * (providers/) open these collections.
 */

export const PAAS_COLLECTIONS = {
  apps: "paas_applications",
  modules: "paas_modules",
  envs: "paas_module_envs",
  specs: "paas_process_specs",
  processes: "paas_processes",
  instances: "paas_instances",
  resourceVersions: "paas_resource_versions",
} as const;

export type PaasCollectionName = keyof typeof PAAS_COLLECTIONS;

/**
 * The Kubernetes sync's leases, one per cluster (docs/paas.md, "How it reads"). Coordination
 * between procgraph instances rather than PaaS data: not in `PAAS_COLLECTIONS`, so the seeder's
 * `--drop` leaves them.
 */
export const PAAS_SYNC_LEASES = "procgraph_sync_leases";

export interface SyncLeaseDoc {
  /** The cluster's name. */
  _id: string;
  holder: string;
  expires_at: Date;
  renewed_at: Date;
}

export type PaasAppType = "default" | "engineless_app" | "cloud_native";
export type PaasEnvName = "stag" | "prod";
export type PaasTargetStatus = "start" | "stop";
export type PaasResourceKind = "process" | "instance";

export interface ResourceQuantities {
  cpu: string;
  memory: string;
}

export interface ScalingConfigDoc {
  min_replicas: number;
  max_replicas: number;
  policy: string;
}

export interface AppDoc {
  _id: string;
  code: string;
  name: string;
  type: PaasAppType;
  language?: string | null;
  region?: string | null;
  created?: Date | null;
}

export interface ModuleDoc {
  _id: string;
  app_code: string;
  name: string;
  is_default: boolean;
  language?: string | null;
  source_origin?: number | null;
}

export interface ModuleEnvDoc {
  _id: string;
  module_id: string;
  environment: PaasEnvName;
  is_offlined?: boolean;
}

export interface ProcessSpecDoc {
  _id: string;
  env_id: string;
  name: string;
  target_replicas: number;
  target_status?: PaasTargetStatus | null;
  max_replicas: number;
  resource_limit: ResourceQuantities;
  resource_requests: ResourceQuantities;
  plan_name: string;
  autoscaling: boolean;
  scaling_config?: ScalingConfigDoc | null;
  /** The Kubernetes cluster the sync read it from (absent for seeded or operator-written documents). */
  cluster?: string;
}

export interface ProcessDoc {
  _id: string;
  env_id: string;
  type: string;
  name: string;
  command: string;
  replicas: number;
  success: number;
  version: number;
  /** The Kubernetes cluster the sync read it from (absent for seeded or operator-written documents). */
  cluster?: string;
}

export interface TerminatedInfoDoc {
  exit_code: number | null;
  reason: string | null;
}

export interface InstanceDoc {
  _id: string;
  env_id: string;
  name: string;
  process_type: string;
  image: string;
  start_time: Date | null;
  state: string;
  state_message: string | null;
  rich_status: string;
  ready: boolean;
  restart_count: number;
  terminated_info: TerminatedInfoDoc | null;
  version: number | string;
  host_ip?: string | null;
  /** The Kubernetes cluster the sync read it from (absent for seeded or operator-written documents). */
  cluster?: string;
}

export interface ResourceVersionDoc {
  _id: string;
  env_id: string;
  kind: PaasResourceKind;
  value: number;
}

/** Documents of every collection, as the seeder writes them in one batch. */
export interface PaasDocumentBatch {
  apps: AppDoc[];
  modules: ModuleDoc[];
  envs: ModuleEnvDoc[];
  specs: ProcessSpecDoc[];
  processes: ProcessDoc[];
  instances: InstanceDoc[];
}
