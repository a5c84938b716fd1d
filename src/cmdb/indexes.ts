import type { Db, IndexDescription } from "mongodb";
import { CmdbCollection, type CmdbCollectionName } from "./collections";

const number = { $type: "number" };
const string = { $type: "string" };

/**
 * Upstream's default indexes (upstream's src/common/index/collections/*.go; docs/cmdb.md, "Demo data, seeder and indexes") on the collections
 * procgraph reads. Created on databases procgraph seeds; on a database procgraph was pointed at,
 * only by `npm run seed -- cmdb --indexes-only`.
 */
export const CMDB_INDEXES: Record<Exclude<CmdbCollectionName, "cc_ObjAttDes">, IndexDescription[]> = {
  [CmdbCollection.process]: [
    { name: "bkcc_unique_svcInstID_bkProcName", key: { service_instance_id: 1, bk_process_name: 1 }, unique: true, partialFilterExpression: { service_instance_id: number, bk_process_name: string } },
    {
      name: "bkcc_unique_svcInstID_bkFuncName_bkStartParamRegex",
      key: { service_instance_id: 1, bk_func_name: 1, bk_start_param_regex: 1 },
      unique: true,
      partialFilterExpression: { service_instance_id: number, bk_func_name: string, bk_start_param_regex: string },
    },
    { name: "bk_biz_id_1", key: { bk_biz_id: 1 } },
    { name: "bk_supplier_account_1", key: { bk_supplier_account: 1 } },
    { name: "idx_unique_procID", key: { bk_process_id: 1 }, unique: true },
  ],
  [CmdbCollection.relation]: [
    { name: "idx_bkServiceInstanceID", key: { service_instance_id: 1 } },
    { name: "idx_bkProcessTemplateID", key: { process_template_id: 1 } },
    { name: "idx_bkBizID", key: { bk_biz_id: 1 } },
    { name: "idx_bkProcessID", key: { bk_process_id: 1 } },
    { name: "idx_bkHostID", key: { bk_host_id: 1 } },
    { name: "idx_unique_serviceInstID_ProcID", key: { service_instance_id: 1, bk_process_id: 1 }, unique: true },
    { name: "idx_unique_procID_hostID", key: { bk_process_id: 1, bk_host_id: 1 }, unique: true },
  ],
  [CmdbCollection.serviceInstance]: [
    { name: "bkcc_idx_bkBizID_ID", key: { bk_biz_id: 1, id: 1 } },
    { name: "idx_bkBizID", key: { bk_biz_id: 1 } },
    { name: "idx_serviceTemplateID", key: { service_template_id: 1 } },
    { name: "moduleID", key: { bk_module_id: 1 } },
    { name: "bk_module_id_1_bk_biz_id_1", key: { bk_module_id: 1, bk_biz_id: 1 } },
    { name: "bk_biz_id_1_bk_host_id_1", key: { bk_biz_id: 1, bk_host_id: 1 } },
    { name: "idx_unique_id", key: { id: 1 }, unique: true },
    { name: "bk_idx_host_id", key: { bk_host_id: 1 } },
  ],
  [CmdbCollection.processTemplate]: [
    { name: "idx_serviceTemplateID", key: { service_template_id: 1 } },
    { name: "idx_bkBizID", key: { bk_biz_id: 1 } },
    { name: "idx_unique_id", key: { id: 1 }, unique: true },
    { name: "bk_idx_service_template_id_bk_process_name", key: { bk_process_name: 1, service_template_id: 1 }, unique: true },
  ],
  [CmdbCollection.set]: [
    { name: "bk_parent_id_1", key: { bk_parent_id: 1 } },
    { name: "bk_biz_id_1", key: { bk_biz_id: 1 } },
    { name: "bk_supplier_account_1", key: { bk_supplier_account: 1 } },
    { name: "bk_set_name_1", key: { bk_set_name: 1 } },
    { name: "bk_set_id_1_bk_biz_id_1", key: { bk_set_id: 1, bk_biz_id: 1 } },
    { name: "idx_unique_setID", key: { bk_set_id: 1 }, unique: true },
    { name: "idx_unique_parentID_setName", key: { bk_parent_id: 1, bk_set_name: 1 }, unique: true },
  ],
  [CmdbCollection.module]: [
    { name: "bk_module_name_1", key: { bk_module_name: 1 } },
    { name: "default_1", key: { default: 1 } },
    { name: "bk_biz_id_1", key: { bk_biz_id: 1 } },
    { name: "bk_supplier_account_1", key: { bk_supplier_account: 1 } },
    { name: "bk_set_id_1", key: { bk_set_id: 1 } },
    { name: "bk_parent_id_1", key: { bk_parent_id: 1 } },
    { name: "bk_module_id_1_bk_biz_id_1", key: { bk_module_id: 1, bk_biz_id: 1 } },
    { name: "idx_unique_moduleID", key: { bk_module_id: 1 }, unique: true },
    { name: "bk_idx_set_template_id_service_template_id", key: { set_template_id: 1, service_template_id: 1 } },
    { name: "bk_idx_set_template_id", key: { set_template_id: 1 } },
    { name: "bk_idx_service_template_id", key: { service_template_id: 1 } },
  ],
  [CmdbCollection.host]: [
    {
      name: "bkcc_unique_bkHostInnerIP_bkCloudID",
      key: { bk_host_innerip: 1, bk_cloud_id: 1 },
      unique: true,
      partialFilterExpression: { bk_host_innerip: string, bk_cloud_id: number, bk_addressing: "static" },
    },
    {
      name: "bkcc_unique_bkHostInnerIPv6_bkCloudID",
      key: { bk_host_innerip_v6: 1, bk_cloud_id: 1 },
      unique: true,
      partialFilterExpression: { bk_host_innerip_v6: string, bk_cloud_id: number, bk_addressing: "static" },
    },
    { name: "bkcc_unique_bkAgentID", key: { bk_agent_id: 1 }, unique: true, partialFilterExpression: { bk_agent_id: { $type: "string", $gt: "" } } },
    { name: "bk_host_name_1", key: { bk_host_name: 1 } },
    { name: "bk_host_innerip_1", key: { bk_host_innerip: 1 } },
    { name: "bk_host_id_1_bk_supplier_account_1", key: { bk_host_id: 1, bk_supplier_account: 1 } },
    { name: "bk_supplier_account_1", key: { bk_supplier_account: 1 } },
    { name: "bk_cloud_id_1", key: { bk_cloud_id: 1 } },
    { name: "idx_unique_hostID", key: { bk_host_id: 1 }, unique: true },
    { name: "bk_os_type_1", key: { bk_os_type: 1 } },
  ],
  [CmdbCollection.business]: [
    { name: "default_1", key: { default: 1 } },
    { name: "bk_biz_id_1_bk_supplier_account_1", key: { bk_biz_id: 1, bk_supplier_account: 1 } },
    { name: "default_1_bk_supplier_account_1", key: { default: 1, bk_supplier_account: 1 } },
    { name: "idx_unique_bizID", key: { bk_biz_id: 1 }, unique: true },
  ],
};

/** Creates (idempotently) every index above, in collections named with `prefix`. */
export async function ensureCmdbIndexes(db: Db, prefix: string): Promise<string[]> {
  const created: string[] = [];
  for (const [collection, indexes] of Object.entries(CMDB_INDEXES)) {
    created.push(...(await db.collection(`${prefix}${collection}`).createIndexes(indexes)).map((name) => `${prefix}${collection}.${name}`));
  }
  return created;
}
