import type { Db, Document } from "mongodb";

/**
 * The REST floor: `list_process_related_info` for one business, `fields` given, a page from the
 * start, fetched by hand (the page and its count, then one `$in` query per related collection)
 * and written in upstream's native envelope with Go's sorted map keys. Nothing here is shared with
 * procgraph's code on purpose: the item shape is written out again from docs/cmdb.md.
 */
export async function restFloorRelatedInfo(db: Db, bkBizId: number, fields: string[], limit: number): Promise<string> {
  const filter = { bk_biz_id: bkBizId, bk_supplier_account: "0" };
  const wanted = [...new Set([...fields, "bk_process_id", "bk_process_name", "bk_func_id"])].sort();
  const processesOf = db.collection("cc_Process");
  const [processes, count] = await Promise.all([
    processesOf.find(filter, { projection: Object.fromEntries([["_id", 0], ...wanted.map((f) => [f, 1])]), sort: { bk_process_id: 1 }, limit }).toArray(),
    processesOf.countDocuments(filter),
  ]);
  const relations = await db
    .collection("cc_ProcessInstanceRelation")
    .find({ bk_process_id: { $in: processes.map((p) => p.bk_process_id) } }, { projection: { _id: 0, bk_process_id: 1, service_instance_id: 1, bk_host_id: 1, process_template_id: 1 }, batchSize: 100_000 })
    .toArray();
  const relationOf = new Map<number, Document>();
  for (const r of relations) relationOf.set(r.bk_process_id, r);

  const byKey = async (collection: string, key: string, keys: unknown[], projected: string[], scoped = true) => {
    const unique = [...new Set(keys.filter((k) => typeof k === "number" && k > 0))];
    const docs = await db
      .collection(collection)
      .find({ [key]: { $in: unique }, ...(scoped ? { bk_supplier_account: "0" } : {}) }, { projection: Object.fromEntries([["_id", 0], [key, 1], ...projected.map((f) => [f, 1])]), batchSize: 100_000 })
      .toArray();
    return new Map(docs.map((d) => [d[key] as number, d]));
  };
  const [instances, hosts] = await Promise.all([
    byKey("cc_ServiceInstance", "id", relations.map((r) => r.service_instance_id), ["name", "bk_module_id"]),
    byKey("cc_HostBase", "bk_host_id", relations.map((r) => r.bk_host_id), ["bk_cloud_id", "bk_host_innerip", "bk_host_innerip_v6", "bk_addressing", "bk_agent_id"]),
  ]);
  const modules = await byKey("cc_ModuleBase", "bk_module_id", [...instances.values()].map((i) => i.bk_module_id), ["bk_module_name", "bk_set_id"]);
  const sets = await byKey("cc_SetBase", "bk_set_id", [...modules.values()].map((m) => m.bk_set_id), ["bk_set_name", "bk_set_env"]);

  const text = (value: unknown) => (typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));
  const int = (value: unknown) => (typeof value === "number" && Number.isSafeInteger(value) ? value : 0);
  const ip = (value: unknown) => (Array.isArray(value) ? value.map(text).join(",") : text(value));
  const info = processes.map((p) => {
    const relation = relationOf.get(p.bk_process_id);
    const instance = relation ? instances.get(relation.service_instance_id) : undefined;
    const module = instance ? modules.get(instance.bk_module_id) : undefined;
    const set = module ? sets.get(module.bk_set_id) : undefined;
    const host = relation ? hosts.get(relation.bk_host_id) : undefined;
    const process: Record<string, unknown> = {};
    for (const field of wanted) if (field in p) process[field] = p[field];
    process.bk_process_name ??= "";
    process.bk_func_id ??= "";
    return {
      host: {
        bk_addressing: text(host?.bk_addressing),
        bk_agent_id: text(host?.bk_agent_id),
        bk_cloud_id: int(host?.bk_cloud_id),
        bk_host_id: int(host?.bk_host_id),
        bk_host_innerip: ip(host?.bk_host_innerip),
        bk_host_innerip_v6: ip(host?.bk_host_innerip_v6),
      },
      module: { bk_module_id: int(module?.bk_module_id), bk_module_name: text(module?.bk_module_name) },
      process,
      process_template: { id: int(relation?.process_template_id) },
      service_instance: { id: int(instance?.id), name: text(instance?.name) },
      set: { bk_set_env: text(set?.bk_set_env), bk_set_id: int(set?.bk_set_id), bk_set_name: text(set?.bk_set_name) },
    };
  });
  return JSON.stringify({ result: true, bk_error_code: 0, bk_error_msg: "success", permission: null, data: { count, info } });
}
