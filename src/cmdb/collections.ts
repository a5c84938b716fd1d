/**
 * bk-cmdb's collections (src/common/tablenames.go) and the keys procgraph joins on. Every name is
 * read through `CmdbStore.collection`, which prepends the configured tenant prefix
 * (docs/cmdb.md, "Owner scope and tenant prefix").
 */
export const CmdbCollection = {
  business: "cc_ApplicationBase",
  set: "cc_SetBase",
  module: "cc_ModuleBase",
  host: "cc_HostBase",
  serviceInstance: "cc_ServiceInstance",
  relation: "cc_ProcessInstanceRelation",
  process: "cc_Process",
  processTemplate: "cc_ProcessTemplate",
  attribute: "cc_ObjAttDes",
} as const;

export type CmdbCollectionName = (typeof CmdbCollection)[keyof typeof CmdbCollection];

/**
 * Each entity's collection, stored key, and the GraphQL field that exposes the key (`id` itself is
 * the global Node id, so upstream's plain `id` keys are exposed under a name of their own).
 */
export const CmdbEntity = {
  business: { collection: CmdbCollection.business, key: "bk_biz_id", keyField: "bkBizId" },
  set: { collection: CmdbCollection.set, key: "bk_set_id", keyField: "bkSetId" },
  module: { collection: CmdbCollection.module, key: "bk_module_id", keyField: "bkModuleId" },
  host: { collection: CmdbCollection.host, key: "bk_host_id", keyField: "bkHostId" },
  serviceInstance: { collection: CmdbCollection.serviceInstance, key: "id", keyField: "serviceInstanceId" },
  process: { collection: CmdbCollection.process, key: "bk_process_id", keyField: "bkProcessId" },
  processTemplate: { collection: CmdbCollection.processTemplate, key: "id", keyField: "processTemplateId" },
} as const;

export type CmdbEntityName = keyof typeof CmdbEntity;

/** A stored id as procgraph follows it: a number that is a safe integer (bk-cmdb's Int64 ids come back as numbers). */
export const isCmdbId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);

/** System fields of `cc_Process` (docs/cmdb.md, "Sorting": the known process attributes). */
export const PROCESS_SYSTEM_FIELDS = ["bk_process_id", "bk_biz_id", "bk_supplier_account", "create_time", "last_time", "service_instance_id"] as const;

/** The standard attributes of bk-cmdb's process model (docs/cmdb.md, "Sorting": the known process attributes). */
export const PROCESS_STANDARD_ATTRIBUTES = [
  "bk_process_name",
  "bk_func_name",
  "description",
  "bk_start_param_regex",
  "work_path",
  "user",
  "proc_num",
  "priority",
  "timeout",
  "bk_start_check_secs",
  "start_cmd",
  "stop_cmd",
  "restart_cmd",
  "face_stop_cmd",
  "reload_cmd",
  "pid_file",
  "auto_start",
  "bind_info",
  "bk_created_at",
  "bk_updated_at",
  "bk_created_by",
  "bk_updated_by",
] as const;

export const PROCESS_KNOWN_FIELDS: ReadonlySet<string> = new Set([...PROCESS_SYSTEM_FIELDS, ...PROCESS_STANDARD_ATTRIBUTES]);

/*
 * The stored shape of the documents procgraph reads (bk-cmdb writes them; docs/cmdb.md, "Data
 * source and configuration"). Ids are Int64 in MongoDB and come back as numbers. Only keys are
 * required: old documents lack newer fields, and a projection leaves out what a query does not
 * select. The index signature keeps user-defined attributes and fields procgraph passes through
 * unread (the GraphQL types and the REST `process` object read them by name).
 */

/** The fields every bk-cmdb instance document carries (no `bk_supplier_account` in a v3.15 tenant database). */
export interface CmdbStoredDoc {
  bk_supplier_account?: string;
  create_time?: Date;
  last_time?: Date;
  [field: string]: unknown;
}

/** `cc_ApplicationBase`. */
export interface BusinessDoc extends CmdbStoredDoc {
  bk_biz_id: number;
  bk_biz_name?: string;
  default?: number;
}

/** `cc_SetBase`. */
export interface SetDoc extends CmdbStoredDoc {
  bk_set_id: number;
  bk_biz_id?: number;
  bk_set_name?: string;
  bk_set_env?: string;
  default?: number;
}

/** `cc_ModuleBase`; `default` 1 idle, 2 fault, 3 recycle, 0 a normal module. */
export interface ModuleDoc extends CmdbStoredDoc {
  bk_module_id: number;
  bk_biz_id?: number;
  bk_set_id?: number;
  bk_module_name?: string;
  default?: number;
}

/** `cc_HostBase`: no `bk_biz_id`; inner IPs are lists (a single string in old documents). */
export interface HostDoc extends CmdbStoredDoc {
  bk_host_id: number;
  bk_cloud_id?: number | null;
  bk_host_innerip?: string[] | string | null;
  bk_host_innerip_v6?: string[] | string | null;
  bk_addressing?: string;
  bk_agent_id?: string;
}

/** `cc_ServiceInstance`; `name` is stored once, never recomputed. */
export interface ServiceInstanceDoc extends CmdbStoredDoc {
  id: number;
  bk_biz_id?: number;
  bk_module_id?: number;
  bk_host_id?: number;
  name?: string;
}

/** `cc_ProcessInstanceRelation`: joins a process to its service instance, host and template (no key of its own). */
export interface RelationDoc extends CmdbStoredDoc {
  bk_process_id: number;
  service_instance_id?: number;
  bk_host_id?: number;
  /** 0 for a process not created from a template. */
  process_template_id?: number;
  bk_biz_id?: number;
}

/** `cc_Process`: the standard attributes (PROCESS_STANDARD_ATTRIBUTES) and user-defined ones. */
export interface ProcessDoc extends CmdbStoredDoc {
  bk_process_id: number;
  bk_biz_id?: number;
  bk_process_name?: string;
  bk_func_name?: string;
  bk_func_id?: string;
  bk_created_at?: Date;
  bk_updated_at?: Date;
}

/** `cc_ProcessTemplate`. */
export interface ProcessTemplateDoc extends CmdbStoredDoc {
  id: number;
  bk_biz_id?: number;
  service_template_id?: number;
}

/** `cc_ObjAttDes`: an attribute declaration; procgraph reads those of `bk_obj_id: "process"`. */
export interface AttributeDoc {
  bk_obj_id: string;
  bk_property_id: string;
  bk_property_name?: string;
  bk_property_type?: string;
  ispre?: boolean;
}

/** The stored document of each entity. */
export interface CmdbEntityDocs {
  business: BusinessDoc;
  set: SetDoc;
  module: ModuleDoc;
  host: HostDoc;
  serviceInstance: ServiceInstanceDoc;
  process: ProcessDoc;
  processTemplate: ProcessTemplateDoc;
}
