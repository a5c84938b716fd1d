/**
 * bk-cmdb's collections (src/common/tablenames.go) and the keys procgraph joins on. Every name is
 * read through `CmdbStore.collection`, which prepends the configured tenant prefix (spec C-32).
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

/** System fields of `cc_Process` (spec C-18). */
export const PROCESS_SYSTEM_FIELDS = ["bk_process_id", "bk_biz_id", "bk_supplier_account", "create_time", "last_time", "service_instance_id"] as const;

/** The standard process attributes of A.13 (spec C-18). */
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
