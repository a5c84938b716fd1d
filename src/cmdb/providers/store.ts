import type { IncomingHttpHeaders } from "node:http";
import type { Collection, Document, Filter, Sort } from "mongodb";
import { findDecoded } from "../../db/decodedFind";
import type { QueryOptions } from "../../db/health";
import type { RequestContext } from "../../graphql/context";
import { allOf, andThen, type MaybePromise } from "../../graphql/maybePromise";
import { DocumentListLoader, DocumentLoader, LOADER_BATCH_SIZE, withKeysFirst, type DocumentLoaderSpec, type LoaderKey } from "../../graphql/loaders";
import { toMongoProjection, type Projection } from "../../graphql/projection";
import {
  CmdbCollection,
  CmdbEntity,
  type AttributeDoc,
  type CmdbCollectionName,
  type CmdbEntityDocs,
  type CmdbEntityName,
  type HostDoc,
  type ModuleDoc,
  type ProcessDoc,
  type RelationDoc,
} from "../collections";
import { ruleToMongo } from "./propertyFilter";
import type { RelatedInfoQuery } from "./relatedInfoRequest";

/** The headers bk-cmdb reads the owner from, in its order (src/common/http/header/accessor.go). */
const OWNER_HEADERS = ["x-bkcmdb-supplier-account", "x-bkapi-supplier-account", "http_bk_supplier_account", "http_blueking_supplier_id"];

/** The owner (supplier account) of a request; `"0"` when no header names one (docs/cmdb.md, "Owner scope and tenant prefix"). */
export function ownerFromHeaders(headers: IncomingHttpHeaders): string {
  for (const name of OWNER_HEADERS) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) return value;
  }
  return "0";
}

/** `util.SetQueryOwner`: superadmin sees all, "0" sees "0", any other owner sees "0" and its own. */
export function ownerScope(owner: string): Filter<Document> | undefined {
  if (owner === "superadmin") return undefined;
  if (owner === "0") return { bk_supplier_account: "0" };
  return { bk_supplier_account: { $in: ["0", owner] } };
}

/** The stored field that names an entity's business; hosts have none (see `CmdbStore.inScope`). */
const BUSINESS_FIELD = "bk_biz_id";
/** A relations load needs no field beyond its loader's `alwaysFields`. */
const ALWAYS_FIELDS_ONLY: Projection = new Set();

/** The relation fields a relations loader is keyed by. */
export type RelationField = "bk_process_id" | "service_instance_id" | "bk_host_id" | "process_template_id";

/** A root list's rows past the cursor (one more than the page size when a page follows) and its count (a query run only when called). */
export interface ListPage<T> {
  rows: T[];
  count(): Promise<number>;
}

/** A process of a list_process_related_info page with its `cc_ProcessInstanceRelation` row (null without one). */
export interface RelatedInfoRow {
  process: ProcessDoc;
  relation: RelationDoc | null;
}

export interface RelatedInfoResult {
  count: number;
  rows: RelatedInfoRow[];
}

const NO_RELATED_INFO: RelatedInfoResult = { count: 0, rows: [] };

/** A distinct value as upstream reads it, `ParseInt(fmt.Sprint(v))`: 0 when that fails (docs/cmdb.md, "Query steps"). */
function toInt(value: unknown): number {
  const number = typeof value === "number" ? value : Number(String(value));
  return Number.isSafeInteger(number) ? number : 0;
}

/**
 * Data access to bk-cmdb's collections for one request, and the only code that queries them:
 * collection names (with the tenant prefix), the owner scope, the caller's access scope, the
 * request's deadline on every direct query, and the per-request loaders of every relation.
 * Read-only (docs/cmdb.md, "Data source and configuration").
 *
 * The access scope (the token's businesses) is applied here, for every query path at once, as a
 * second filter beside the owner scope: loaders of entities with a `bk_biz_id` carry
 * `bk_biz_id: {$in: [allowed]}` in their base filter (a loader keyed by `bk_biz_id` drops the keys of
 * other businesses without a query instead), list queries carry it in their filter, and a scope
 * without businesses sends no query at all. A host is in scope when a service instance of an
 * allowed business runs on it (`inScope`). With scope "all" nothing is added.
 */
export class CmdbStore {
  /** The owner filter, or undefined (superadmin, or a prefixed v3.15 tenant database: docs/cmdb.md, "Owner scope and tenant prefix"). */
  readonly scope: Filter<Document> | undefined;
  private attributes?: Promise<AttributeDoc[]>;
  /**
   * The loaders this store has taken from the request's registry, by entity (and parent field):
   * navigation asks for one per row, and a registry name built per call is a string to build and
   * hash per row.
   */
  private readonly byIdLoaders: Partial<Record<CmdbEntityName, DocumentLoader>> = {};
  private readonly childLoaders: Partial<Record<CmdbEntityName, Record<string, DocumentListLoader>>> = {};
  private readonly relationLoaders: Partial<Record<RelationField, DocumentListLoader>> = {};

  private constructor(private readonly ctx: RequestContext) {
    this.scope = ctx.config.cmdbCollectionPrefix ? undefined : ownerScope(ownerFromHeaders(ctx.headers));
  }

  /** One store per request, kept beside the request's loaders. */
  static of(ctx: RequestContext): CmdbStore {
    return ctx.loaders.get("cmdb:store", () => new CmdbStore(ctx));
  }

  collection(name: CmdbCollectionName): Collection<Document> {
    return this.ctx.db.collection(`${this.ctx.config.cmdbCollectionPrefix}${name}`);
  }

  /** Runs a direct query with the time left until the request's deadline (`RequestContext.query`). */
  query<T>(run: (options: QueryOptions) => Promise<T>): Promise<T> {
    return this.ctx.query(run);
  }

  /** The request's deadline (epoch ms): work other than queries (a regex check) ends by it too. */
  get deadline(): number {
    return this.ctx.deadline;
  }

  /** Whether the caller's access scope includes a business. */
  allowsBusiness(bizId: number): boolean {
    return this.ctx.scope.allowsCmdbBusiness(bizId);
  }

  /** The access scope is restricted to some businesses (possibly none). */
  private get restricted(): boolean {
    return this.ctx.scope.cmdbBusinesses !== "all";
  }

  /**
   * `filter` plus the owner scope at the top level (as coreservice adds it) and the access scope on
   * `bk_biz_id`; null when nothing can match (no business allowed, or `filter` names another
   * business), so the caller sends no query. `hasBusiness: false` for collections without `bk_biz_id`.
   */
  scoped(filter: Filter<Document>, hasBusiness = true): Filter<Document> | null {
    const owned = this.scope ? { ...filter, ...this.scope } : filter;
    const condition = this.ctx.scope.cmdbBusinessFilter(BUSINESS_FIELD);
    if (!condition) return owned;
    if (this.ctx.scope.noCmdbBusinesses) return null;
    if (!hasBusiness) return owned;
    const named = filter[BUSINESS_FIELD];
    if (typeof named === "number") return this.allowsBusiness(named) ? owned : null;
    return withKeysFirst(owned, condition);
  }

  /**
   * A loader's base filter and key check for `entity` keyed by `keyField`, with both scopes (hosts,
   * which have no `bk_biz_id`, only the owner scope: see `inScope`).
   */
  private loaderScope(entity: CmdbEntityName, keyField: string): Pick<DocumentLoaderSpec, "baseFilter" | "allowKey"> {
    const { cmdbBusinesses } = this.ctx.scope;
    if (cmdbBusinesses === "all") return { baseFilter: this.scope };
    if (cmdbBusinesses.size === 0) return { baseFilter: this.scope, allowKey: () => false };
    if (keyField === BUSINESS_FIELD) return { baseFilter: this.scope, allowKey: (key) => cmdbBusinesses.has(Number(key)) };
    return { baseFilter: this.scoped({}, entity !== "host") ?? undefined };
  }

  /** An entity by its key, owner- and access-scoped (hosts: owner only, see `inScope`). */
  byId(entity: CmdbEntityName): DocumentLoader {
    return (this.byIdLoaders[entity] ??= this.registeredById(entity));
  }

  private registeredById(entity: CmdbEntityName): DocumentLoader {
    const { collection, key } = CmdbEntity[entity];
    return this.ctx.loaders.get(
      `cmdb:byId:${entity}`,
      () => new DocumentLoader({ collection: this.collection(collection), keyField: key, ...this.loaderScope(entity, key) }),
    );
  }

  /**
   * Entities by key for the root fields (`cmdbHost(s)`, …) and for `node`/`nodes` and the
   * cross-model links, in key order, null outside the scope.
   * Navigation reaches a host only from an entity already in scope; a root read of hosts with a
   * restricted scope also loads the host's service instances of allowed businesses (in the same
   * tick, so in parallel) and keeps the hosts that have one.
   */
  async inScope<E extends CmdbEntityName>(entity: E, keys: readonly number[], projection: Projection): Promise<Array<CmdbEntityDocs[E] | null>> {
    if (entity !== "host" || !this.restricted) return this.many(entity, keys, projection);
    const instances = this.children("serviceInstance", "bk_host_id");
    const [hosts, running] = await Promise.all([this.many(entity, keys, projection), instances.loadMany(keys, new Set(["bk_host_id"]))]);
    return hosts.map((host, i) => (running[i].length > 0 ? host : null));
  }

  /**
   * The filter of a root list over `entity`, with both scopes; null when nothing can match. Hosts
   * with a restricted scope: those a service instance of an allowed business runs on (one `distinct`
   * before the page).
   */
  private async listFilter(entity: CmdbEntityName, filter: Filter<Document>): Promise<Filter<Document> | null> {
    if (entity !== "host" || !this.restricted) return this.scoped(filter);
    const instances = this.scoped({});
    if (!instances) return null;
    const hostIds = await this.query((timeout) => this.collection(CmdbCollection.serviceInstance).distinct("bk_host_id", instances, timeout));
    if (hostIds.length === 0) return null;
    return this.scoped(withKeysFirst({ bk_host_id: { $in: hostIds } }, filter), false);
  }

  /**
   * A page of a root list over `entity`, in ascending key order: the `size + 1` first documents with
   * a key above `after` (the extra one only says a page follows), with both scopes, projected to
   * `projection` plus the key, the page primed into the by-id loader; null when nothing in scope
   * can match (then neither the page nor the count is queried).
   */
  async listPage<E extends CmdbEntityName>(entity: E, filter: Filter<Document>, after: number | undefined, size: number, projection: Projection): Promise<ListPage<CmdbEntityDocs[E]> | null> {
    const base = await this.listFilter(entity, filter);
    if (base === null) return null;
    const { key, collection } = CmdbEntity[entity];
    const query = after !== undefined ? withKeysFirst({ [key]: { $gt: after } }, base) : base;
    const mongo = this.collection(collection);
    const found = await this.query((timeout) =>
      findDecoded<CmdbEntityDocs[E]>(mongo, query, { projection: toMongoProjection(projection === "all" ? "all" : new Set([...projection, key])) ?? { _id: 0 }, batchSize: size + 1, ...timeout })
        .sort({ [key]: 1 })
        .limit(size + 1)
        .toArray(),
    );
    const byId = this.byId(entity);
    for (const document of found.slice(0, size)) byId.prime(document[key] as number, document, projection);
    return { rows: found, count: () => this.query((timeout) => mongo.countDocuments(base, timeout)) };
  }

  /** An entity by its key (navigation from an entity already in scope), owner- and access-scoped. */
  one<E extends CmdbEntityName>(entity: E, key: number, projection: Projection): MaybePromise<CmdbEntityDocs[E] | null> {
    return this.byId(entity).loadNow(key, projection) as MaybePromise<CmdbEntityDocs[E] | null>;
  }

  /** Entities by key (navigation), in key order, null for a miss. */
  many<E extends CmdbEntityName>(entity: E, keys: readonly number[], projection: Projection): MaybePromise<Array<CmdbEntityDocs[E] | null>> {
    const byId = this.byId(entity);
    return allOf(keys.map((key) => byId.loadNow(key, projection))) as MaybePromise<Array<CmdbEntityDocs[E] | null>>;
  }

  /** An entity by its key within one business (list_process_related_info's joins: docs/cmdb.md, "Query steps"). */
  oneOfBusiness<E extends CmdbEntityName>(entity: E, bizId: number, key: number, projection: Projection): MaybePromise<CmdbEntityDocs[E] | null> {
    return this.ofBusiness(entity, bizId).loadNow(key, projection) as MaybePromise<CmdbEntityDocs[E] | null>;
  }

  /** The entity loader of one business (steps F, H, I of list_process_related_info). */
  private ofBusiness(entity: CmdbEntityName, bizId: number): DocumentLoader {
    const { collection, key } = CmdbEntity[entity];
    return this.ctx.loaders.get(
      `cmdb:ofBiz:${entity}:${bizId}`,
      () =>
        new DocumentLoader({
          collection: this.collection(collection),
          keyField: key,
          ...(this.allowsBusiness(bizId) ? { baseFilter: this.scoped({ [BUSINESS_FIELD]: bizId }) ?? undefined } : { allowKey: () => false }),
        }),
    );
  }

  /** The children of many parents (e.g. the sets of businesses), owner- and access-scoped, in key order. */
  private children(entity: CmdbEntityName, parentField: string): DocumentListLoader {
    const byParent = (this.childLoaders[entity] ??= {});
    return (byParent[parentField] ??= this.registeredChildren(entity, parentField));
  }

  private registeredChildren(entity: CmdbEntityName, parentField: string): DocumentListLoader {
    const { collection, key } = CmdbEntity[entity];
    return this.ctx.loaders.get(
      `cmdb:children:${entity}:${parentField}`,
      () => new DocumentListLoader({ collection: this.collection(collection), keyField: parentField, sort: { [key]: 1 }, ...this.loaderScope(entity, parentField) }),
    );
  }

  /** Loads children and primes the by-id loader with them, so walking back down costs nothing. */
  loadChildren<E extends CmdbEntityName>(entity: E, parentField: string, parentKey: LoaderKey, projection: Projection): MaybePromise<Array<CmdbEntityDocs[E]>> {
    return andThen(this.children(entity, parentField).loadNow(parentKey, projection) as MaybePromise<Array<CmdbEntityDocs[E]>>, (documents) => {
      const byId = this.byId(entity);
      for (const document of documents) byId.prime(document[CmdbEntity[entity].key] as number, document, projection);
      return documents;
    });
  }

  /**
   * Process–service-instance relations by one of their fields, not owner-scoped like upstream's
   * relation reads (docs/cmdb.md, "Owner scope and tenant prefix") but access-scoped by their `bk_biz_id`. Rows of one key come in
   * `bk_process_id` order.
   */
  relations(field: RelationField, key: number): MaybePromise<RelationDoc[]> {
    return this.relationLoader(field).loadNow(key, ALWAYS_FIELDS_ONLY) as MaybePromise<RelationDoc[]>;
  }

  private relationLoader(field: RelationField): DocumentListLoader {
    return (this.relationLoaders[field] ??= this.registeredRelations(field));
  }

  private registeredRelations(field: RelationField): DocumentListLoader {
    const { cmdbBusinesses } = this.ctx.scope;
    return this.ctx.loaders.get(
      `cmdb:relations:${field}`,
      () =>
        new DocumentListLoader({
          collection: this.collection(CmdbCollection.relation),
          keyField: field,
          sort: { bk_process_id: 1, service_instance_id: 1 },
          alwaysFields: ["bk_process_id", "service_instance_id", "bk_host_id", "process_template_id", "bk_biz_id"],
          ...(cmdbBusinesses === "all"
            ? {}
            : cmdbBusinesses.size === 0
              ? { allowKey: () => false }
              : { baseFilter: this.ctx.scope.cmdbBusinessFilter(BUSINESS_FIELD) }),
        }),
    );
  }

  /**
   * The hosts with `ip` among their inner IPs (`bk_host_innerip` is a list: the loader files a host
   * under each of its IPs), owner- and access-scoped, by ascending bk_host_id. One query per batch
   * of IPs (and one for the access scope when it is restricted).
   */
  async hostsWithInnerIp(ip: string, projection: Projection): Promise<HostDoc[]> {
    const hosts = await this.loadChildren("host", "bk_host_innerip", ip, projection);
    if (!this.restricted) return hosts;
    const visible = await this.inScope("host", hosts.map((host) => host.bk_host_id), projection);
    return visible.filter((host): host is HostDoc => host !== null);
  }

  /**
   * list_process_related_info's steps A to E (docs/cmdb.md, "Query steps"): the page of processes,
   * the total count and each process's relation row, each step with the owner scope exactly where
   * upstream applies it. A business outside the caller's access scope answers as one without
   * processes, without a query. `processProjection` is what the caller will read of each process.
   */
  async relatedInfoPage(query: RelatedInfoQuery, processProjection: Projection): Promise<RelatedInfoResult> {
    const biz = query.bizId;
    if (!this.allowsBusiness(biz)) return NO_RELATED_INFO;
    let moduleIds = query.moduleIds;
    if (query.setIds.length > 0) {
      moduleIds = await this.modulesOfSets(biz, query.setIds, moduleIds);
      if (moduleIds.length === 0) return NO_RELATED_INFO;
    }
    let processIdsOfInstances: number[] | undefined;
    if (query.serviceInstanceIds.length > 0 || moduleIds.length > 0) {
      const instanceIds = await this.serviceInstanceIds(biz, query.serviceInstanceIds, moduleIds);
      if (instanceIds.length === 0) return NO_RELATED_INFO;
      processIdsOfInstances = await this.processIdsOfInstances(biz, instanceIds);
      if (processIdsOfInstances.length === 0) return NO_RELATED_INFO;
    }
    const filter = this.relatedProcessFilter(query, processIdsOfInstances);
    if (!filter) return NO_RELATED_INFO;
    const [page, count] = await this.relatedProcesses(filter, query, processProjection);
    // A page past the end still reports the true count (docs/cmdb.md, "Paging and count").
    if (page.length === 0) return { count, rows: [] };
    const relationOf = await this.lastRelationOf(biz, page.map((process) => process.bk_process_id));
    return { count, rows: page.map((process) => ({ process, relation: relationOf.get(toInt(process.bk_process_id)) ?? null })) };
  }

  /** Step A (owner-scoped): the modules of the sets, within `moduleIds` when given; they replace the module filter. */
  private async modulesOfSets(biz: number, setIds: number[], moduleIds: number[]): Promise<number[]> {
    const keys: Filter<Document> = { bk_set_id: { $in: setIds } };
    if (moduleIds.length > 0) keys.bk_module_id = { $in: moduleIds };
    const filter = this.scoped(withKeysFirst(keys, { bk_biz_id: biz }));
    if (!filter) return [];
    const modules = await this.query((timeout) =>
      this.collection(CmdbCollection.module).find<Pick<ModuleDoc, "bk_module_id">>(filter, { projection: { _id: 0, bk_module_id: 1 }, batchSize: LOADER_BATCH_SIZE, ...timeout }).toArray(),
    );
    return modules.map((module) => toInt(module.bk_module_id));
  }

  /** Step B (distinct, not owner-scoped): the service instances by id and/or module. */
  private async serviceInstanceIds(biz: number, ids: number[], moduleIds: number[]): Promise<number[]> {
    const keys: Filter<Document> = {};
    if (ids.length > 0) keys.id = { $in: ids };
    if (moduleIds.length > 0) keys.bk_module_id = { $in: moduleIds };
    const filter = withKeysFirst(keys, { bk_biz_id: biz });
    return (await this.query((timeout) => this.collection(CmdbCollection.serviceInstance).distinct("id", filter, timeout))).map(toInt);
  }

  /** Step C (distinct, not owner-scoped): the processes of those service instances. */
  private async processIdsOfInstances(biz: number, instanceIds: number[]): Promise<number[]> {
    const filter = withKeysFirst({ service_instance_id: { $in: instanceIds } }, { bk_biz_id: biz });
    return (await this.query((timeout) => this.collection(CmdbCollection.relation).distinct("bk_process_id", filter, timeout))).map(toInt);
  }

  /**
   * Step D's filter, with both scopes; null when nothing can match. All conditions are ANDed
   * (docs/cmdb.md, "Filters"): `{$and: [base, lists, propertyFilter]}`, written as the base
   * (its `$in` first, for the index) plus `$and` of the others.
   */
  private relatedProcessFilter(query: RelatedInfoQuery, processIdsOfInstances: number[] | undefined): Filter<Document> | null {
    const base = withKeysFirst(processIdsOfInstances ? { bk_process_id: { $in: processIdsOfInstances } } : {}, { bk_biz_id: query.bizId });
    const extra: Filter<Document>[] = [];
    const lists: Filter<Document> = {};
    if (query.processNames.length > 0) lists.bk_process_name = { $in: query.processNames };
    if (query.funcIds.length > 0) lists.bk_func_id = { $in: query.funcIds };
    if (query.processIds.length > 0) lists.bk_process_id = { $in: query.processIds };
    if (Object.keys(lists).length > 0) extra.push(lists);
    if (query.propertyFilter) extra.push(ruleToMongo(query.propertyFilter));
    return this.scoped(extra.length === 0 ? base : { ...base, $and: extra });
  }

  /** Step D: the page (sorted, skip/limit) and the total count on one filter, in parallel; the page primes the by-id loader. */
  private async relatedProcesses(filter: Filter<Document>, query: RelatedInfoQuery, processProjection: Projection): Promise<[ProcessDoc[], number]> {
    const read = processProjection === "all" ? "all" : new Set([...processProjection, "bk_process_id"]);
    const processes = this.collection(CmdbCollection.process);
    const [page, count] = await Promise.all([
      this.query((timeout) =>
        findDecoded<ProcessDoc>(processes, filter, { projection: toMongoProjection(read) ?? { _id: 0 }, batchSize: query.limit, ...timeout })
          .sort(query.sort as Sort)
          .skip(query.start)
          .limit(query.limit)
          .toArray(),
      ),
      this.query((timeout) => processes.countDocuments(filter, timeout)),
    ]);
    const byId = this.byId("process");
    for (const process of page) byId.prime(process.bk_process_id, process, read);
    return [page, count];
  }

  /**
   * Step E (not owner-scoped): the relation rows of the page's processes, by process; when a
   * process has several, the last one wins, as upstream (docs/cmdb.md, "Links and zero values").
   */
  private async lastRelationOf(biz: number, processIds: number[]): Promise<Map<number, RelationDoc>> {
    const filter = withKeysFirst({ bk_process_id: { $in: processIds } }, { bk_biz_id: biz });
    const relations = await this.query((timeout) =>
      findDecoded<RelationDoc>(this.collection(CmdbCollection.relation), filter, { projection: { _id: 0 }, batchSize: LOADER_BATCH_SIZE, ...timeout }).toArray(),
    );
    const relationOf = new Map<number, RelationDoc>();
    for (const relation of relations) relationOf.set(toInt(relation.bk_process_id), relation);
    return relationOf;
  }

  /** The process attributes declared in `cc_ObjAttDes` (one read per request, only when needed). */
  processAttributes(): Promise<AttributeDoc[]> {
    this.attributes ??= this.query((timeout) =>
      this.collection(CmdbCollection.attribute)
        .find<AttributeDoc>({ bk_obj_id: "process" }, { projection: { _id: 0, bk_property_id: 1, bk_property_name: 1, bk_property_type: 1, ispre: 1 }, ...timeout })
        .sort({ bk_property_id: 1 })
        .toArray(),
    );
    return this.attributes;
  }

  // --- Reads of the cross-model domain (src/crossmodel): its process search and summaries ---

  /**
   * The keys of the processes on the hosts with `ip` among their inner IPs (the hosts owner- and
   * access-scoped): two queries; [] when no host or no process matches.
   */
  async processIdsOnHostIp(ip: string): Promise<number[]> {
    const hostFilter = this.scoped({ bk_host_innerip: ip }, false);
    if (!hostFilter) return [];
    const hosts = await this.query((timeout) => this.collection(CmdbCollection.host).find(hostFilter, { projection: { _id: 0, bk_host_id: 1 }, ...timeout }).toArray());
    if (hosts.length === 0) return [];
    const relations = await this.query((timeout) =>
      this.collection(CmdbCollection.relation)
        .find({ bk_host_id: { $in: hosts.map((h) => h.bk_host_id) } }, { projection: { _id: 0, bk_process_id: 1 }, ...timeout })
        .toArray(),
    );
    return [...new Set(relations.map((r) => r.bk_process_id as number))];
  }

  /**
   * Up to `limit` processes matching `filter` (a condition made by `scoped`) in bk_process_id order,
   * with the fields of `projection`; the by-id loader is primed with them.
   */
  async processesInIdOrder(filter: Filter<Document>, projection: Projection, limit: number): Promise<Document[]> {
    const documents = await this.query((timeout) =>
      this.collection(CmdbCollection.process)
        .find(filter, { projection: toMongoProjection(projection), batchSize: limit, ...timeout })
        .sort({ bk_process_id: 1 })
        .limit(limit)
        .toArray(),
    );
    const byId = this.byId("process");
    for (const document of documents) byId.prime(document.bk_process_id as number, document, projection);
    return documents;
  }

  /** An aggregation over the processes whose first stage is a `$match` on a condition made by `scoped`, within the deadline. */
  aggregateProcesses(pipeline: Document[], batchSize: number): Promise<Document[]> {
    return this.query((timeout) => this.collection(CmdbCollection.process).aggregate(pipeline, { batchSize, ...timeout }).toArray());
  }

  /** How many processes match `filter` (a condition made by `scoped`). */
  countProcesses(filter: Filter<Document>): Promise<number> {
    return this.query((timeout) => this.collection(CmdbCollection.process).countDocuments(filter, timeout));
  }

  /** The keys of the businesses above `bkBizId`, in key order, within both scopes (the demo's app links): one query. */
  async businessIdsAbove(bkBizId: number): Promise<number[]> {
    const filter = this.scoped({ bk_biz_id: { $gt: bkBizId } });
    if (!filter) return [];
    const businesses = await this.query((timeout) =>
      this.collection(CmdbCollection.business).find(filter, { projection: { _id: 0, bk_biz_id: 1 }, ...timeout }).sort({ bk_biz_id: 1 }).toArray(),
    );
    return businesses.map((business) => Number(business.bk_biz_id));
  }

  // --- Reads of the live domain (src/live): the facts of a change, the host-scope check ---

  /**
   * The whole process `bkProcessId`, whatever its owner and business: the live feed reads the facts
   * of a change once, with full access, and each subscriber then applies its own scope.
   */
  processOfAnyScope(bkProcessId: number): Promise<Document | null> {
    return this.query((options) => this.collection(CmdbCollection.process).findOne({ bk_process_id: bkProcessId }, options));
  }

  /** Whether a service instance of a business in the caller's access scope runs on host `bkHostId` (one query). */
  async hostRunsInstanceInScope(bkHostId: number): Promise<boolean> {
    const found = await this.query((options) =>
      this.collection(CmdbCollection.serviceInstance).findOne({ bk_host_id: bkHostId, ...this.ctx.scope.cmdbBusinessFilter() }, { projection: { _id: 1 }, ...options }),
    );
    return found !== null;
  }
}
