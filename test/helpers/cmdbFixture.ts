import { Long, type Db } from "mongodb";
import { CmdbCollection } from "../../src/cmdb/collections";

/**
 * A small hand-written bk-cmdb dataset in upstream's layout (Int64 ids, host IP arrays, IPv6 in
 * full form, a process without a relation row, an idle pool). Tests compare against values written
 * by hand from this file, so change both together.
 */
const i64 = (n: number) => Long.fromNumber(n);
const at = (iso: string) => new Date(iso);

export const FIXTURE = {
  business: [
    { bk_biz_id: i64(2), bk_biz_name: "blueking", default: 0, bk_supplier_account: "0", life_cycle: "2", bk_biz_maintainer: "admin" },
    { bk_biz_id: i64(3), bk_biz_name: "tenant biz", default: 0, bk_supplier_account: "tencent", life_cycle: "2", bk_biz_maintainer: "t" },
  ],
  set: [
    { bk_set_id: i64(11), bk_set_name: "set1", bk_biz_id: i64(2), bk_parent_id: i64(2), bk_set_env: "3", bk_service_status: "1", default: 0, bk_supplier_account: "0" },
    { bk_set_id: i64(12), bk_set_name: "set2", bk_biz_id: i64(2), bk_parent_id: i64(2), bk_set_env: "1", bk_service_status: "1", default: 0, bk_supplier_account: "0" },
    { bk_set_id: i64(13), bk_set_name: "空闲机池", bk_biz_id: i64(2), bk_parent_id: i64(2), bk_set_env: "3", default: 1, bk_supplier_account: "0" },
    { bk_set_id: i64(21), bk_set_name: "tenant set", bk_biz_id: i64(3), bk_parent_id: i64(3), bk_set_env: "2", default: 0, bk_supplier_account: "tencent" },
  ],
  module: [
    { bk_module_id: i64(60), bk_module_name: "mm1", bk_set_id: i64(11), bk_parent_id: i64(11), bk_biz_id: i64(2), default: 0, service_template_id: i64(0), bk_supplier_account: "0" },
    { bk_module_id: i64(61), bk_module_name: "mm2", bk_set_id: i64(12), bk_parent_id: i64(12), bk_biz_id: i64(2), default: 0, service_template_id: i64(0), bk_supplier_account: "0" },
    { bk_module_id: i64(62), bk_module_name: "空闲机", bk_set_id: i64(13), bk_parent_id: i64(13), bk_biz_id: i64(2), default: 1, bk_supplier_account: "0" },
    { bk_module_id: i64(63), bk_module_name: "故障机", bk_set_id: i64(13), bk_parent_id: i64(13), bk_biz_id: i64(2), default: 2, bk_supplier_account: "0" },
    { bk_module_id: i64(71), bk_module_name: "tenant module", bk_set_id: i64(21), bk_parent_id: i64(21), bk_biz_id: i64(3), default: 0, bk_supplier_account: "tencent" },
  ],
  host: [
    {
      bk_host_id: i64(4),
      bk_cloud_id: i64(0),
      bk_host_innerip: ["192.168.15.22"],
      bk_host_innerip_v6: ["0000:0000:0000:0000:0000:0000:0000:0001"],
      bk_host_outerip: null,
      bk_addressing: "dynamic",
      bk_agent_id: "020000000052540012345601",
      bk_host_name: "host-a",
      bk_supplier_account: "0",
    },
    // No bk_cloud_id, bk_addressing or bk_agent_id: docs/cmdb.md, "Links and zero values", gives 0 and "".
    { bk_host_id: i64(5), bk_host_innerip: ["10.0.0.5", "10.0.0.6"], bk_host_innerip_v6: null, bk_host_name: "host-b", bk_supplier_account: "0" },
    { bk_host_id: i64(9), bk_cloud_id: i64(1), bk_host_innerip: ["10.9.9.9"], bk_host_name: "tenant-host", bk_supplier_account: "tencent" },
  ],
  serviceInstance: [
    { id: i64(4), name: "192.168.15.22_pr1_3333", bk_biz_id: i64(2), bk_module_id: i64(60), bk_host_id: i64(4), service_template_id: i64(0), creator: "admin", modifier: "admin", bk_supplier_account: "0" },
    { id: i64(5), name: "custom name", bk_biz_id: i64(2), bk_module_id: i64(61), bk_host_id: i64(5), service_template_id: i64(0), creator: "admin", modifier: "admin", bk_supplier_account: "0" },
    { id: i64(8), name: "10.9.9.9_t1", bk_biz_id: i64(3), bk_module_id: i64(71), bk_host_id: i64(9), service_template_id: i64(0), bk_supplier_account: "tencent" },
  ],
  relation: [
    { bk_biz_id: i64(2), bk_process_id: i64(45), service_instance_id: i64(4), process_template_id: i64(48), bk_host_id: i64(4), bk_supplier_account: "0" },
    { bk_biz_id: i64(2), bk_process_id: i64(46), service_instance_id: i64(4), process_template_id: i64(49), bk_host_id: i64(4), bk_supplier_account: "0" },
    { bk_biz_id: i64(2), bk_process_id: i64(47), service_instance_id: i64(5), process_template_id: i64(0), bk_host_id: i64(5), bk_supplier_account: "0" },
    { bk_biz_id: i64(3), bk_process_id: i64(90), service_instance_id: i64(8), process_template_id: i64(0), bk_host_id: i64(9), bk_supplier_account: "tencent" },
  ],
  process: [
    {
      bk_process_id: i64(45),
      bk_process_name: "pr1",
      bk_func_name: "pr1",
      bk_biz_id: i64(2),
      service_instance_id: i64(4),
      bk_start_param_regex: "",
      work_path: "/data/pr1",
      user: "root",
      proc_num: 1,
      priority: 1,
      timeout: 30,
      auto_start: false,
      bind_info: [{ enable: true, ip: "192.168.15.22", port: "3333", protocol: "1", template_row_id: 1 }],
      create_time: at("2026-11-22T08:00:00Z"),
      last_time: at("2026-11-22T09:00:00Z"),
      custom_level: 3,
      bk_supplier_account: "0",
    },
    {
      bk_process_id: i64(46),
      bk_process_name: "alias_pr2",
      bk_func_name: "pr2",
      bk_biz_id: i64(2),
      service_instance_id: i64(4),
      work_path: "/data/pr2",
      user: "nobody",
      proc_num: 2,
      priority: 5,
      timeout: 30,
      auto_start: true,
      bind_info: [],
      create_time: at("2026-11-22T08:00:00Z"),
      last_time: at("2026-11-23T10:30:00Z"),
      bk_created_at: at("2026-11-01T00:00:00Z"),
      bk_updated_at: null,
      custom_level: 1,
      bk_supplier_account: "0",
    },
    {
      bk_process_id: i64(47),
      bk_process_name: "java-app",
      bk_func_name: "java",
      bk_biz_id: i64(2),
      service_instance_id: i64(5),
      user: "root",
      proc_num: 2,
      priority: 1,
      timeout: 60,
      auto_start: true,
      bind_info: [{ enable: false, ip: "10.0.0.5", port: "8080-8089", protocol: "2", template_row_id: 0 }],
      create_time: at("2026-11-20T00:00:00Z"),
      last_time: at("2026-11-20T00:00:00Z"),
      custom_level: 3,
      bk_supplier_account: "0",
    },
    // No relation row: it appears only when no set, module or service-instance filter is given.
    { bk_process_id: i64(48), bk_process_name: "orphan", bk_func_name: "orphan", bk_biz_id: i64(2), priority: 1, create_time: at("2026-11-21T00:00:00Z"), last_time: at("2026-11-21T00:00:00Z"), bk_supplier_account: "0" },
    { bk_process_id: i64(90), bk_process_name: "tenant-proc", bk_func_name: "t", bk_biz_id: i64(3), priority: 1, service_instance_id: i64(8), create_time: at("2026-11-21T00:00:00Z"), last_time: at("2026-11-21T00:00:00Z"), bk_supplier_account: "tencent" },
    // Another owner's process in business 2: visible to that owner and to superadmin only.
    { bk_process_id: i64(91), bk_process_name: "owned-by-tencent", bk_func_name: "x", bk_biz_id: i64(2), priority: 1, create_time: at("2026-11-21T00:00:00Z"), last_time: at("2026-11-21T00:00:00Z"), bk_supplier_account: "tencent" },
  ],
  processTemplate: [
    { id: i64(48), bk_process_name: "pr1", bk_biz_id: i64(2), service_template_id: i64(7), creator: "admin", modifier: "admin", bk_supplier_account: "0", property: { bk_func_name: { value: "pr1", as_default_value: true } } },
    { id: i64(49), bk_process_name: "alias_pr2", bk_biz_id: i64(2), service_template_id: i64(7), creator: "admin", modifier: "admin", bk_supplier_account: "0", property: { bk_func_name: { value: "pr2", as_default_value: true } } },
  ],
  attribute: [
    { bk_obj_id: "process", bk_property_id: "bk_process_name", bk_property_name: "进程别名", bk_property_type: "singlechar", ispre: true, bk_supplier_account: "0" },
    { bk_obj_id: "process", bk_property_id: "custom_level", bk_property_name: "level", bk_property_type: "int", ispre: false, bk_supplier_account: "0" },
    { bk_obj_id: "host", bk_property_id: "host_only", bk_property_name: "x", bk_property_type: "int", ispre: false, bk_supplier_account: "0" },
  ],
};

export async function insertFixture(db: Db, prefix = ""): Promise<void> {
  for (const [name, documents] of Object.entries(FIXTURE)) {
    await db.collection(`${prefix}${CmdbCollection[name as keyof typeof FIXTURE]}`).insertMany(documents.map((d) => ({ ...d })));
  }
}
