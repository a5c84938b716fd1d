import { andThen, type MaybePromise } from "../../graphql/maybePromise";
import type { Collection, Db, Document, Filter } from "mongodb";
import { findDecoded } from "../../db/decodedFind";
import type { RequestContext } from "../../graphql/context";
import { DocumentListLoader, DocumentLoader } from "../../graphql/loaders";
import { toMongoProjection, unionProjection, type Projection } from "../../graphql/projection";
import { PAAS_COLLECTIONS, type AppDoc, type InstanceDoc, type ModuleDoc, type ModuleEnvDoc, type PaasCollectionName, type PaasResourceKind, type ProcessDoc, type ProcessSpecDoc, type ResourceVersionDoc } from "../collections";
import { appCodeOfKey, appPrefix, childId, resourceVersionId } from "../ids";

/**
 * A PaaS collection by its role: the store's own handle. Only `PaasStore`, its write side
 * `PaasWriter` and the index definitions (`ensurePaasIndexes`) open collections with it; other
 * domains read the PaaS model through the store's methods.
 */
export function paasCollection<T extends Document>(db: Db, name: PaasCollectionName): Collection<T> {
  return db.collection<T>(PAAS_COLLECTIONS[name]);
}

/**
 * The per-request loaders of the PaaS graph: one `$in` query per collection per level, key order.
 *
 * The store also applies the caller's access scope, for every query path at once. Every key starts
 * with its app code (`ids.ts`), so a key of an app outside the scope reads as missing (null, [])
 * without a query; the list queries (app pages, counts) carry the scope as a MongoDB condition.
 * Every direct query gets the time left until the request's deadline (loaders get it from the registry).
 */
const RESOURCE_VERSION_FIELDS: Projection = new Set(["value"]);

export class PaasStore {
  constructor(private readonly ctx: RequestContext) {}

  static of(ctx: RequestContext): PaasStore {
    return ctx.loaders.get("paas.store", () => new PaasStore(ctx));
  }

  // Kept here by collection (and parent field) once taken from the registry: navigation asks once per row.
  private readonly keyLoaders: Partial<Record<PaasCollectionName, DocumentLoader>> = {};
  private readonly parentLoaders: Partial<Record<PaasCollectionName, Record<string, DocumentListLoader>>> = {};

  private byKey(name: PaasCollectionName): DocumentLoader {
    return (this.keyLoaders[name] ??= this.ctx.loaders.get(`paas.${name}.byId`, () => new DocumentLoader({ collection: paasCollection(this.ctx.db, name), keyField: "_id" })));
  }

  private byParent(name: PaasCollectionName, keyField: string, sort: Record<string, 1>): DocumentListLoader {
    const byField = (this.parentLoaders[name] ??= {});
    return (byField[keyField] ??= this.ctx.loaders.get(
      `paas.${name}.by.${keyField}`,
      () => new DocumentListLoader({ collection: paasCollection(this.ctx.db, name), keyField, sort: { ...sort, _id: 1 } }),
    ));
  }

  /** One document by `_id`; null (without a query) when its app is outside the caller's scope. */
  private one<T>(name: PaasCollectionName, key: string, projection: Projection, appCode = appCodeOfKey(key)): MaybePromise<T | null> {
    if (!this.ctx.scope.allowsPaasApp(appCode)) return null;
    return this.byKey(name).loadNow(key, projection) as MaybePromise<T | null>;
  }

  /** The children of a parent key; [] (without a query) when its app is outside the caller's scope. */
  private children<T>(name: PaasCollectionName, keyField: string, sort: Record<string, 1>, key: string, projection: Projection): MaybePromise<T[]> {
    if (!this.ctx.scope.allowsPaasApp(appCodeOfKey(key))) return [];
    return this.byParent(name, keyField, sort).loadNow(key, projection) as MaybePromise<T[]>;
  }

  /** `filter` restricted to the caller's apps by the app-code field `field`; null when the scope allows no app. */
  private scoped<T extends Document>(filter: Filter<T>, field: string): Filter<T> | null {
    const { scope } = this.ctx;
    if (scope.noPaasApps) return null;
    const condition = scope.paasAppFilter(field) as Filter<T> | undefined;
    if (!condition) return filter;
    return Object.keys(filter).length === 0 ? condition : ({ $and: [condition, filter] } as Filter<T>);
  }

  app(code: string, projection: Projection): MaybePromise<AppDoc | null> {
    // An app's key is its whole code.
    return this.one("apps", code, projection, code);
  }

  module(id: string, projection: Projection): MaybePromise<ModuleDoc | null> {
    return this.one("modules", id, projection);
  }

  env(id: string, projection: Projection): MaybePromise<ModuleEnvDoc | null> {
    return this.one("envs", id, projection);
  }

  process(id: string, projection: Projection): MaybePromise<ProcessDoc | null> {
    return this.one("processes", id, projection);
  }

  instance(id: string, projection: Projection): MaybePromise<InstanceDoc | null> {
    return this.one("instances", id, projection);
  }

  spec(id: string, projection: Projection): MaybePromise<ProcessSpecDoc | null> {
    return this.one("specs", id, projection);
  }

  /** Modules of an app, by name. */
  modulesOfApp(appCode: string, projection: Projection): MaybePromise<ModuleDoc[]> {
    return this.children("modules", "app_code", { name: 1 }, appCode, projection);
  }

  /** Environments of a module (`prod`, then `stag`). */
  envsOfModule(moduleId: string, projection: Projection): MaybePromise<ModuleEnvDoc[]> {
    return this.children("envs", "module_id", { environment: 1 }, moduleId, projection);
  }

  /** Processes of a module environment, by type (docs/paas.md, "Which items are listed"). */
  processesOfEnv(env: string, projection: Projection): MaybePromise<ProcessDoc[]> {
    return this.children("processes", "env_id", { type: 1 }, env, projection);
  }

  /** Instances of a module environment, by process type, then name (docs/paas.md, "Which items are listed"). */
  instancesOfEnv(env: string, projection: Projection): MaybePromise<InstanceDoc[]> {
    return this.children("instances", "env_id", { process_type: 1, name: 1 }, env, projection);
  }

  /** Process packages of a module environment, by name (docs/paas.md, "Which items are listed"). */
  specsOfEnv(env: string, projection: Projection): MaybePromise<ProcessSpecDoc[]> {
    return this.children("specs", "env_id", { name: 1 }, env, projection);
  }

  /**
   * The instances running on a host IP (`host_ip`), by `_id`, limited to the caller's apps (the
   * app is the first segment of `_id`, checked on the result). One query per batch of IPs.
   */
  async instancesOnHostIp(ip: string, projection: Projection): Promise<InstanceDoc[]> {
    const { scope } = this.ctx;
    if (scope.noPaasApps) return [];
    const instances = (await this.byParent("instances", "host_ip", {}).load(ip, unionProjection(projection, new Set(["_id"])))) as InstanceDoc[];
    return instances.filter((instance) => scope.allowsPaasApp(appCodeOfKey(instance._id)));
  }

  /** The counter's value as a decimal string; `"0"` before the first write (docs/paas.md, "resource_version counters"). */
  resourceVersion(env: string, kind: PaasResourceKind): MaybePromise<string> {
    return andThen(this.one<ResourceVersionDoc>("resourceVersions", resourceVersionId(env, kind), RESOURCE_VERSION_FIELDS), (doc) => String(doc?.value ?? 0));
  }

  /** The default module of an app (one query; not batched: only the REST default-module form asks). */
  async defaultModule(appCode: string): Promise<ModuleDoc | null> {
    if (!this.ctx.scope.allowsPaasApp(appCode)) return null;
    const doc = await this.ctx.query((timeout) => paasCollection<ModuleDoc>(this.ctx.db, "modules").findOne({ app_code: appCode, is_default: true }, { sort: { name: 1 }, ...timeout }));
    if (doc) this.byKey("modules").prime(doc._id, doc, "all");
    return doc as ModuleDoc | null;
  }

  /** One page of the caller's apps in `_id` (= code) order, for the connection; reads `limit` documents. */
  async appPage(filter: Filter<AppDoc>, limit: number, projection: Projection): Promise<AppDoc[]> {
    const query = this.scoped(filter, "_id");
    if (query === null) return [];
    const docs = await this.ctx.query((timeout) =>
      findDecoded<AppDoc>(paasCollection<AppDoc>(this.ctx.db, "apps"), query as Filter<Document>, { projection: toMongoProjection(projection), ...timeout }).sort({ _id: 1 }).limit(limit).toArray(),
    );
    for (const doc of docs) this.byKey("apps").prime(doc._id, doc, projection);
    return docs;
  }

  /** How many of the caller's apps match. */
  async countApps(filter: Filter<AppDoc>): Promise<number> {
    const query = this.scoped(filter, "_id");
    if (query === null) return 0;
    return this.ctx.query((timeout) => paasCollection<AppDoc>(this.ctx.db, "apps").countDocuments(query, timeout));
  }

  // --- Reads of the cross-model domain (src/crossmodel): its process search and summaries ---

  /**
   * The condition on `field` (an app-prefixed key: `_id` of processes, `env_id` of instances) for
   * the apps `codes` (or every app) within the caller's apps: `{}` for every app, null when none is
   * left (the caller sends no query).
   */
  appsCondition(field: "_id" | "env_id", codes?: readonly string[]): Filter<Document> | null {
    const { scope } = this.ctx;
    const apps = codes ? codes.filter((code) => scope.allowsPaasApp(code)) : scope.paasApps === "all" ? "all" : [...scope.paasApps];
    if (apps !== "all" && apps.length === 0) return null;
    return apps === "all" ? {} : { [field]: { $regex: appPrefix(apps) } };
  }

  /** The keys (`childId(env, type)`) of the processes with an instance on host IP `ip`, of any app (the search scopes the processes): one query. */
  async processKeysOnHostIp(ip: string): Promise<string[]> {
    const instances = await this.ctx.query((timeout) =>
      paasCollection<InstanceDoc>(this.ctx.db, "instances").find({ host_ip: ip }, { projection: { _id: 0, env_id: 1, process_type: 1 }, ...timeout }).toArray(),
    );
    return [...new Set(instances.map((i) => childId(i.env_id, i.process_type)))];
  }

  /** Up to `limit` processes matching `filter` (which carries the caller's app scope) in key order, with the fields of `projection`. */
  processesInKeyOrder(filter: Filter<Document>, projection: Projection, limit: number): Promise<Document[]> {
    return this.ctx.query((timeout) =>
      paasCollection<Document>(this.ctx.db, "processes").find(filter, { projection: toMongoProjection(projection), batchSize: limit, ...timeout }).sort({ _id: 1 }).limit(limit).toArray(),
    );
  }

  /** An aggregation over the processes whose first stage matches the caller's apps, within the deadline. */
  aggregateProcesses(pipeline: Document[], batchSize: number): Promise<Document[]> {
    return this.ctx.query((timeout) => paasCollection<Document>(this.ctx.db, "processes").aggregate(pipeline, { batchSize, ...timeout }).toArray());
  }

  /** An aggregation over the instances whose first stage matches the caller's apps, within the deadline. */
  aggregateInstances(pipeline: Document[], batchSize: number): Promise<Document[]> {
    return this.ctx.query((timeout) => paasCollection<Document>(this.ctx.db, "instances").aggregate(pipeline, { batchSize, ...timeout }).toArray());
  }

  /** How many processes match `filter` (which carries the caller's app scope). */
  countProcesses(filter: Filter<Document>): Promise<number> {
    return this.ctx.query((timeout) => paasCollection<Document>(this.ctx.db, "processes").countDocuments(filter, timeout));
  }

  // --- Reads of the live domain (src/live): the facts of a change ---

  /** The whole process `key`, whatever the caller's scope: the live feed reads a change's facts once, with full access. */
  processOfAnyScope(key: string): Promise<ProcessDoc | null> {
    return this.ctx.query((options) => paasCollection<ProcessDoc>(this.ctx.db, "processes").findOne({ _id: key }, options)) as Promise<ProcessDoc | null>;
  }
}
