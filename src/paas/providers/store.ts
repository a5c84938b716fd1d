import type { Collection, Db, Document, Filter } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import { DocumentListLoader, DocumentLoader } from "../../graphql/loaders";
import { toMongoProjection, type Projection } from "../../graphql/projection";
import type { AppDoc, InstanceDoc, ModuleDoc, ModuleEnvDoc, PaasResourceKind, ProcessDoc, ProcessSpecDoc, ResourceVersionDoc } from "./documents";
import { resourceVersionId } from "../ids";

/** procgraph's own PaaS collections (docs/paas.md, "Storage"). */
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

export function paasCollection<T extends Document>(db: Db, name: PaasCollectionName): Collection<T> {
  return db.collection<T>(PAAS_COLLECTIONS[name]);
}

/** The per-request loaders of the PaaS graph: one `$in` query per collection per level, key order. */
export class PaasStore {
  constructor(private readonly ctx: RequestContext) {}

  static of(ctx: RequestContext): PaasStore {
    return ctx.loaders.get("paas.store", () => new PaasStore(ctx));
  }

  private byKey(name: PaasCollectionName): DocumentLoader {
    return this.ctx.loaders.get(`paas.${name}.byId`, () => new DocumentLoader({ collection: paasCollection(this.ctx.db, name), keyField: "_id" }));
  }

  private byParent(name: PaasCollectionName, keyField: string, sort: Record<string, 1>): DocumentListLoader {
    return this.ctx.loaders.get(
      `paas.${name}.by.${keyField}`,
      () => new DocumentListLoader({ collection: paasCollection(this.ctx.db, name), keyField, sort: { ...sort, _id: 1 } }),
    );
  }

  app(code: string, projection: Projection): Promise<AppDoc | null> {
    return this.byKey("apps").load(code, projection) as Promise<AppDoc | null>;
  }

  apps(codes: readonly string[], projection: Projection): Promise<Array<AppDoc | null>> {
    return this.byKey("apps").loadMany(codes, projection) as Promise<Array<AppDoc | null>>;
  }

  module(id: string, projection: Projection): Promise<ModuleDoc | null> {
    return this.byKey("modules").load(id, projection) as Promise<ModuleDoc | null>;
  }

  env(id: string, projection: Projection): Promise<ModuleEnvDoc | null> {
    return this.byKey("envs").load(id, projection) as Promise<ModuleEnvDoc | null>;
  }

  process(id: string, projection: Projection): Promise<ProcessDoc | null> {
    return this.byKey("processes").load(id, projection) as Promise<ProcessDoc | null>;
  }

  spec(id: string, projection: Projection): Promise<ProcessSpecDoc | null> {
    return this.byKey("specs").load(id, projection) as Promise<ProcessSpecDoc | null>;
  }

  /** Modules of an app, by name. */
  modulesOfApp(appCode: string, projection: Projection): Promise<ModuleDoc[]> {
    return this.byParent("modules", "app_code", { name: 1 }).load(appCode, projection) as Promise<ModuleDoc[]>;
  }

  /** Environments of a module (`prod`, then `stag`). */
  envsOfModule(moduleId: string, projection: Projection): Promise<ModuleEnvDoc[]> {
    return this.byParent("envs", "module_id", { environment: 1 }).load(moduleId, projection) as Promise<ModuleEnvDoc[]>;
  }

  /** Processes of a module environment, by type (B.8.4). */
  processesOfEnv(env: string, projection: Projection): Promise<ProcessDoc[]> {
    return this.byParent("processes", "env_id", { type: 1 }).load(env, projection) as Promise<ProcessDoc[]>;
  }

  /** Instances of a module environment, by process type, then name (B.8.4). */
  instancesOfEnv(env: string, projection: Projection): Promise<InstanceDoc[]> {
    return this.byParent("instances", "env_id", { process_type: 1, name: 1 }).load(env, projection) as Promise<InstanceDoc[]>;
  }

  /** Process packages of a module environment, by name (B.8.4). */
  specsOfEnv(env: string, projection: Projection): Promise<ProcessSpecDoc[]> {
    return this.byParent("specs", "env_id", { name: 1 }).load(env, projection) as Promise<ProcessSpecDoc[]>;
  }

  /** The counter's value as a decimal string; `"0"` before the first write (B.8.6). */
  async resourceVersion(env: string, kind: PaasResourceKind): Promise<string> {
    const doc = (await this.byKey("resourceVersions").load(resourceVersionId(env, kind), new Set(["value"]))) as ResourceVersionDoc | null;
    return String(doc?.value ?? 0);
  }

  /** The default module of an app (one query; not batched: only the REST default-module form asks). */
  async defaultModule(appCode: string): Promise<ModuleDoc | null> {
    const doc = (await paasCollection<ModuleDoc>(this.ctx.db, "modules").findOne({ app_code: appCode, is_default: true }, { sort: { name: 1 } })) as ModuleDoc | null;
    if (doc) this.byKey("modules").prime(doc._id, doc, "all");
    return doc;
  }

  /** One page of apps in `_id` (= code) order, for the connection; reads `limit` documents. */
  async appPage(filter: Filter<AppDoc>, limit: number, projection: Projection): Promise<AppDoc[]> {
    const docs = await paasCollection<AppDoc>(this.ctx.db, "apps")
      .find(filter, { projection: toMongoProjection(projection) })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    for (const doc of docs) this.byKey("apps").prime(doc._id, doc, projection);
    return docs;
  }

  countApps(filter: Filter<AppDoc>): Promise<number> {
    return paasCollection<AppDoc>(this.ctx.db, "apps").countDocuments(filter);
  }
}
