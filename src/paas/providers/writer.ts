import { MongoServerError, type AnyBulkWriteOperation, type Db, type Document } from "mongodb";
import { PAAS_COLLECTIONS, PAAS_SYNC_LEASES, type AppDoc, type InstanceDoc, type ModuleDoc, type ModuleEnvDoc, type PaasCollectionName, type PaasDocumentBatch, type PaasResourceKind, type ProcessDoc, type ProcessSpecDoc, type ResourceVersionDoc, type SyncLeaseDoc } from "../collections";
import { childId, envId, moduleId, resourceVersionId } from "../ids";
import { paasCollection } from "./store";

/**
 * The one way procgraph writes the PaaS model: the store's write side (`PaasStore` reads per
 * request, with scope and deadline; the writer serves the seeder and the Kubernetes sync, which run
 * outside requests). It fills in the composite `_id`s from the natural keys and bumps the
 * per-module-environment, per-kind counter on every create, update or delete of a process or an
 * instance (docs/paas.md, "resource_version counters"). The counter only ever grows.
 */
export class PaasWriter {
  constructor(private readonly db: Db) {}

  upsertApp(app: Omit<AppDoc, "_id">): Promise<AppDoc> {
    return this.replace("apps", { _id: app.code, ...app });
  }

  upsertModule(module: Omit<ModuleDoc, "_id">): Promise<ModuleDoc> {
    return this.replace("modules", { _id: moduleId(module.app_code, module.name), ...module });
  }

  upsertEnv(appCode: string, moduleName: string, env: Omit<ModuleEnvDoc, "_id" | "module_id">): Promise<ModuleEnvDoc> {
    return this.replace("envs", { _id: envId(appCode, moduleName, env.environment), module_id: moduleId(appCode, moduleName), ...env });
  }

  upsertSpec(spec: Omit<ProcessSpecDoc, "_id">): Promise<ProcessSpecDoc> {
    return this.replace("specs", { _id: childId(spec.env_id, spec.name), ...spec });
  }

  async upsertProcess(process: Omit<ProcessDoc, "_id">): Promise<ProcessDoc> {
    const doc = await this.replace("processes", { _id: childId(process.env_id, process.type), ...process });
    await this.bump(doc.env_id, "process");
    return doc;
  }

  async upsertInstance(instance: Omit<InstanceDoc, "_id">): Promise<InstanceDoc> {
    const doc = await this.replace("instances", { _id: childId(instance.env_id, instance.name), ...instance });
    await this.bump(doc.env_id, "instance");
    return doc;
  }

  private async replace<T extends { _id: string }>(name: PaasCollectionName, doc: T): Promise<T> {
    await paasCollection(this.db, name).replaceOne({ _id: doc._id } as Document, doc, { upsert: true });
    return doc;
  }

  /**
   * Creates an app, module or environment the Kubernetes sync found in labels, unless it exists:
   * what an operator (or the bk-paas API) wrote is never overwritten.
   */
  async ensureApp(app: Omit<AppDoc, "_id">): Promise<void> {
    await this.insertMissing("apps", { _id: app.code, ...app });
  }

  async ensureModule(module: Omit<ModuleDoc, "_id">): Promise<void> {
    await this.insertMissing("modules", { _id: moduleId(module.app_code, module.name), ...module });
  }

  async ensureEnv(appCode: string, moduleName: string, env: Omit<ModuleEnvDoc, "_id" | "module_id">): Promise<void> {
    await this.insertMissing("envs", { _id: envId(appCode, moduleName, env.environment), module_id: moduleId(appCode, moduleName), ...env });
  }

  private async insertMissing(name: PaasCollectionName, doc: Document & { _id: string }): Promise<void> {
    const { _id, ...fields } = doc;
    try {
      await paasCollection(this.db, name).updateOne({ _id } as Document, { $setOnInsert: fields }, { upsert: true });
    } catch (error) {
      // Two upserts of one new key at once: the other one inserted it, which is all we wanted.
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
  }

  /** Specs have no counter. */
  async deleteSpec(env: string, name: string): Promise<boolean> {
    const { deletedCount } = await paasCollection(this.db, "specs").deleteOne({ _id: childId(env, name) } as Document);
    return deletedCount > 0;
  }

  /** What the sync wrote for one cluster, to compare a new list with (the documents carry `cluster`). */
  async ownedBy(cluster: string): Promise<{ processes: ProcessDoc[]; specs: ProcessSpecDoc[]; instances: InstanceDoc[] }> {
    const read = <T,>(name: PaasCollectionName) => paasCollection(this.db, name).find({ cluster }).toArray() as Promise<T[]>;
    const [processes, specs, instances] = await Promise.all([read<ProcessDoc>("processes"), read<ProcessSpecDoc>("specs"), read<InstanceDoc>("instances")]);
    return { processes, specs, instances };
  }

  /** Deletes a process; the counter moves only when something was deleted. */
  async deleteProcess(env: string, type: string): Promise<boolean> {
    const { deletedCount } = await paasCollection(this.db, "processes").deleteOne({ _id: childId(env, type) } as Document);
    if (deletedCount > 0) await this.bump(env, "process");
    return deletedCount > 0;
  }

  async deleteInstance(env: string, name: string): Promise<boolean> {
    const { deletedCount } = await paasCollection(this.db, "instances").deleteOne({ _id: childId(env, name) } as Document);
    if (deletedCount > 0) await this.bump(env, "instance");
    return deletedCount > 0;
  }

  /**
   * The sync's bulk path: replaces (upserts) documents by `_id`, one `bulkWrite` per collection,
   * and adds to each module environment's counters the number of processes / instances written.
   */
  async replaceBatch(batch: { processes?: ProcessDoc[]; specs?: ProcessSpecDoc[]; instances?: InstanceDoc[] }): Promise<void> {
    const replace = async (name: PaasCollectionName, docs: Array<{ _id: string }>) => {
      if (docs.length === 0) return;
      const ops = docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id } as Document, replacement: doc as Document, upsert: true } }));
      await paasCollection(this.db, name).bulkWrite(ops, { ordered: false });
    };
    await replace("processes", batch.processes ?? []);
    await replace("specs", batch.specs ?? []);
    await replace("instances", batch.instances ?? []);
    const counts = new Map<string, number>();
    for (const [kind, docs] of [["process", batch.processes ?? []], ["instance", batch.instances ?? []]] as const) {
      for (const doc of docs) counts.set(`${doc.env_id}\n${kind}`, (counts.get(`${doc.env_id}\n${kind}`) ?? 0) + 1);
    }
    await this.bumpMany(counts);
  }

  /** Deletes by `_id`; each environment's counter moves by what was really deleted there. */
  async deleteBatch(batch: { processes?: string[]; specs?: string[]; instances?: string[] }): Promise<void> {
    const counts = new Map<string, number>();
    const remove = async (name: PaasCollectionName, ids: string[], kind?: PaasResourceKind) => {
      const byEnv = new Map<string, string[]>();
      for (const id of ids) {
        const env = id.slice(0, id.lastIndexOf("/"));
        byEnv.set(env, [...(byEnv.get(env) ?? []), id]);
      }
      for (const [env, envIds] of byEnv) {
        const { deletedCount } = await paasCollection(this.db, name).deleteMany({ _id: { $in: envIds } } as Document);
        if (kind && deletedCount > 0) counts.set(`${env}\n${kind}`, deletedCount);
      }
    };
    await remove("processes", batch.processes ?? [], "process");
    await remove("specs", batch.specs ?? []);
    await remove("instances", batch.instances ?? [], "instance");
    await this.bumpMany(counts);
  }

  /** `env\nkind` → increment, in one bulkWrite. */
  private async bumpMany(counts: Map<string, number>): Promise<void> {
    const ops: AnyBulkWriteOperation<ResourceVersionDoc>[] = [...counts].map(([key, n]) => {
      const [env, kind] = key.split("\n") as [string, PaasResourceKind];
      return { updateOne: { filter: { _id: resourceVersionId(env, kind) }, update: { $inc: { value: n }, $setOnInsert: { env_id: env, kind } }, upsert: true } };
    });
    if (ops.length > 0) await paasCollection<ResourceVersionDoc>(this.db, "resourceVersions").bulkWrite(ops, { ordered: false });
  }

  /** Bulk insert for the seeder: one insertMany per collection, one counter update per environment and kind. */
  async insertBatch(batch: PaasDocumentBatch): Promise<void> {
    const insert = async (name: PaasCollectionName, docs: Document[]) => {
      if (docs.length > 0) await paasCollection(this.db, name).insertMany(docs, { ordered: false });
    };
    await insert("apps", batch.apps);
    await insert("modules", batch.modules);
    await insert("envs", batch.envs);
    await insert("specs", batch.specs);
    await insert("processes", batch.processes);
    await insert("instances", batch.instances);
    const counts = new Map<string, { env: string; kind: PaasResourceKind; n: number }>();
    for (const [kind, docs] of [["process", batch.processes], ["instance", batch.instances]] as const) {
      for (const doc of docs) {
        const id = resourceVersionId(doc.env_id, kind);
        const entry = counts.get(id) ?? { env: doc.env_id, kind, n: 0 };
        entry.n += 1;
        counts.set(id, entry);
      }
    }
    const ops: AnyBulkWriteOperation<ResourceVersionDoc>[] = [...counts].map(([id, { env, kind, n }]) => ({
      updateOne: { filter: { _id: id }, update: { $inc: { value: n }, $setOnInsert: { env_id: env, kind } }, upsert: true },
    }));
    if (ops.length > 0) await paasCollection<ResourceVersionDoc>(this.db, "resourceVersions").bulkWrite(ops, { ordered: false });
  }

  /** Whether no app is stored yet (the seeder refuses to write into non-empty collections). */
  async isEmpty(): Promise<boolean> {
    return (await paasCollection(this.db, "apps").countDocuments({}, { limit: 1 })) === 0;
  }

  /** Empties every PaaS collection, counters included (the seeder's `--drop`). */
  async clear(): Promise<void> {
    for (const name of Object.keys(PAAS_COLLECTIONS) as PaasCollectionName[]) await paasCollection(this.db, name).deleteMany({});
  }

  private get leases() {
    return this.db.collection<SyncLeaseDoc>(PAAS_SYNC_LEASES);
  }

  /**
   * Gives `holder` the cluster's sync lease until `now + ttlMs` if it is free, expired or already
   * its own, in one conditional upsert; false when another holder has it.
   */
  async takeLease(cluster: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    try {
      const doc = await this.leases.findOneAndUpdate(
        { _id: cluster, $or: [{ holder }, { expires_at: { $lt: now } }] },
        { $set: { holder, expires_at: new Date(now.getTime() + ttlMs), renewed_at: now } },
        { upsert: true, returnDocument: "after" },
      );
      return doc?.holder === holder;
    } catch (error) {
      // The upsert raced with the holder's document: someone else has it.
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }

  async releaseLease(cluster: string, holder: string): Promise<void> {
    await this.leases.deleteOne({ _id: cluster, holder });
  }

  /** Increments one counter and returns its new value. */
  async bump(env: string, kind: PaasResourceKind): Promise<number> {
    const doc = await paasCollection<ResourceVersionDoc>(this.db, "resourceVersions").findOneAndUpdate(
      { _id: resourceVersionId(env, kind) },
      { $inc: { value: 1 }, $setOnInsert: { env_id: env, kind } },
      { upsert: true, returnDocument: "after" },
    );
    return doc?.value ?? 0;
  }
}
