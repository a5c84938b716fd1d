import type { Db, Document } from "mongodb";

/**
 * The floor: the same page the canonical CMDB query returns (a page of processes with service
 * instance, module, set, host and template), fetched by hand with the minimal set of MongoDB
 * queries (one per collection, each `$in` over the previous level's keys) and assembled into the
 * same JSON. Nothing here is shared with procgraph's code on purpose.
 */
export async function cmdbFloorPage(db: Db, bkBizId: number, first: number): Promise<string> {
  const processes = await db
    .collection("cc_Process")
    .find({ bk_biz_id: bkBizId, bk_supplier_account: "0" }, { projection: { _id: 0, bk_process_id: 1, bk_process_name: 1 }, sort: { bk_process_id: 1 }, limit: first })
    .toArray();
  const processIds = processes.map((p) => p.bk_process_id);
  const relations = await db
    .collection("cc_ProcessInstanceRelation")
    .find({ bk_process_id: { $in: processIds } }, { projection: { _id: 0, bk_process_id: 1, service_instance_id: 1, bk_host_id: 1, process_template_id: 1 }, batchSize: 100_000 })
    .toArray();
  const relationOf = new Map<number, Document>();
  for (const r of relations) if (!relationOf.has(r.bk_process_id)) relationOf.set(r.bk_process_id, r);

  const unique = (values: unknown[]) => [...new Set(values.filter((v) => typeof v === "number" && v > 0))];
  const byKey = async (collection: string, key: string, keys: unknown[], fields: string[]) => {
    const docs = await db
      .collection(collection)
      .find({ [key]: { $in: unique(keys) }, bk_supplier_account: "0" }, { projection: Object.fromEntries([["_id", 0], [key, 1], ...fields.map((f) => [f, 1])]), batchSize: 100_000 })
      .toArray();
    return new Map(docs.map((d) => [d[key] as number, d]));
  };

  const [instances, hosts, templates] = await Promise.all([
    byKey("cc_ServiceInstance", "id", relations.map((r) => r.service_instance_id), ["name", "bk_module_id"]),
    byKey("cc_HostBase", "bk_host_id", relations.map((r) => r.bk_host_id), ["bk_host_innerip"]),
    byKey("cc_ProcessTemplate", "id", relations.map((r) => r.process_template_id), ["bk_process_name"]),
  ]);
  const modules = await byKey("cc_ModuleBase", "bk_module_id", [...instances.values()].map((i) => i.bk_module_id), ["bk_module_name", "bk_set_id"]);
  const sets = await byKey("cc_SetBase", "bk_set_id", [...modules.values()].map((m) => m.bk_set_id), ["bk_set_name"]);

  const nodes = processes.map((p) => {
    const relation = relationOf.get(p.bk_process_id);
    const instance = relation ? instances.get(relation.service_instance_id) : undefined;
    const module = instance ? modules.get(instance.bk_module_id) : undefined;
    const set = module ? sets.get(module.bk_set_id) : undefined;
    const host = relation ? hosts.get(relation.bk_host_id) : undefined;
    const template = relation ? templates.get(relation.process_template_id) : undefined;
    return {
      bkProcessId: p.bk_process_id,
      bkProcessName: p.bk_process_name ?? null,
      serviceInstance: instance
        ? { name: instance.name ?? null, module: module ? { bkModuleName: module.bk_module_name ?? null, set: set ? { bkSetName: set.bk_set_name ?? null } : null } : null }
        : null,
      host: host ? { bkHostInnerip: host.bk_host_innerip ?? null } : null,
      processTemplate: template ? { bkProcessName: template.bk_process_name ?? null } : null,
    };
  });
  return JSON.stringify({ data: { cmdbProcessList: { nodes } } });
}
