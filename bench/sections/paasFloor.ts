import type { Db, Document } from "mongodb";

/**
 * The PaaS floor: the `PaasDashboard` answer (apps → modules → environments → processes →
 * instances) fetched by hand, one `$in` query per collection, and assembled into the same JSON.
 * Nothing here is shared with procgraph's code on purpose: the rules (failed count, cluster link,
 * display name and state) are written out again from docs/paas.md.
 */
export async function paasFloorDashboard(db: Db, first: number): Promise<string> {
  const apps = await db.collection("paas_applications").find({}, { projection: { code: 1, type: 1 }, sort: { _id: 1 }, limit: first }).toArray();
  const childrenOf = async (collection: string, parentField: string, parents: unknown[], sort: Record<string, 1>, fields: string[]) => {
    const docs = await db
      .collection(collection)
      .find({ [parentField]: { $in: parents } }, { projection: Object.fromEntries(fields.map((f) => [f, 1])), sort: { ...sort, _id: 1 }, batchSize: 100_000 })
      .toArray();
    const grouped = new Map<unknown, Document[]>();
    for (const doc of docs) {
      const list = grouped.get(doc[parentField]);
      if (list) list.push(doc);
      else grouped.set(doc[parentField], [doc]);
    }
    return { docs, grouped };
  };
  const modules = await childrenOf("paas_modules", "app_code", apps.map((a) => a._id), { name: 1 }, ["app_code", "name", "is_default"]);
  const envs = await childrenOf("paas_module_envs", "module_id", modules.docs.map((m) => m._id), { environment: 1 }, ["module_id", "environment"]);
  const envIds = envs.docs.map((e) => e._id);
  const [processes, instances] = await Promise.all([
    childrenOf("paas_processes", "env_id", envIds, { type: 1 }, ["env_id", "type", "replicas", "success", "version"]),
    childrenOf("paas_instances", "env_id", envIds, { process_type: 1, name: 1 }, ["env_id", "process_type", "name", "state", "ready", "version"]),
  ]);

  const nodes = apps.map((app) => ({
    code: app.code,
    type: String(app.type).toUpperCase(),
    modules: (modules.grouped.get(app._id) ?? []).map((module) => ({
      name: module.name,
      isDefault: module.is_default,
      environments: (envs.grouped.get(module._id) ?? []).map((env) => {
        const envInstances = instances.grouped.get(env._id) ?? [];
        const bkappName = module.is_default ? app.code : `${app.code}-m-${module.name}`;
        return {
          name: String(env.environment).toUpperCase(),
          processes: (processes.grouped.get(env._id) ?? []).map((process) => ({
            type: process.type,
            replicas: process.replicas,
            success: process.success,
            failed: Math.max(process.replicas - process.success, 0),
            version: process.version,
            clusterLink: `http://${bkappName}--${process.type}.bkapp-${app.code}-${env.environment}`,
            instances: envInstances
              .filter((instance) => instance.process_type === process.type)
              .map((instance) => ({
                name: instance.name,
                displayName: instance.name.slice(instance.name.lastIndexOf("-") + 1),
                state: instance.state === "Running" && !instance.ready ? "Starting" : instance.state,
                ready: instance.ready,
                version: Number(instance.version),
              })),
          })),
        };
      }),
    })),
  }));
  return JSON.stringify({ data: { paasAppList: { nodes } } });
}
