import type { IncomingHttpHeaders } from "node:http";
import type { Collection, Document, Filter } from "mongodb";
import type { QueryOptions } from "../../db/health";
import type { RequestContext } from "../../graphql/context";
import { DocumentListLoader, DocumentLoader, withKeysFirst, type DocumentLoaderSpec, type LoaderKey } from "../../graphql/loaders";
import { toMongoProjection, type Projection } from "../../graphql/projection";
import { CmdbCollection, CmdbEntity, type CmdbCollectionName, type CmdbEntityName } from "../collections";

/** The headers bk-cmdb reads the owner from, in its order (src/common/http/header/accessor.go). */
const OWNER_HEADERS = ["x-bkcmdb-supplier-account", "x-bkapi-supplier-account", "http_bk_supplier_account", "http_blueking_supplier_id"];

/** The owner (supplier account) of a request; `"0"` when no header names one (spec C-31). */
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

/** The relation fields a relations loader is keyed by. */
type RelationField = "bk_process_id" | "service_instance_id" | "bk_host_id" | "process_template_id";

/**
 * Data access to bk-cmdb's collections for one request: collection names (with the tenant prefix),
 * the owner scope, the caller's access scope, and the per-request loaders of every relation.
 * Read-only (spec C-33).
 *
 * The access scope (the token's businesses) is applied here, for every query path at once, as a
 * second filter beside the owner scope: loaders of entities with a `bk_biz_id` carry
 * `bk_biz_id: {$in: [allowed]}` in their base filter (a loader keyed by `bk_biz_id` drops the keys of
 * other businesses without a query instead), list queries carry it in their filter, and a scope
 * without businesses sends no query at all. A host is in scope when a service instance of an
 * allowed business runs on it (`inScope`). With scope "all" nothing is added.
 */
export class CmdbStore {
  /** The owner filter, or undefined (superadmin, or a prefixed v3.15 tenant database: C-32). */
  readonly scope: Filter<Document> | undefined;
  private attributes?: Promise<Document[]>;
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
  async inScope(entity: CmdbEntityName, keys: readonly number[], projection: Projection): Promise<Array<Document | null>> {
    if (entity !== "host" || !this.restricted) return this.byId(entity).loadMany(keys, projection);
    const instances = this.children("serviceInstance", "bk_host_id");
    const [hosts, running] = await Promise.all([this.byId("host").loadMany(keys, projection), instances.loadMany(keys, new Set(["bk_host_id"]))]);
    return hosts.map((host, i) => (running[i].length > 0 ? host : null));
  }

  /**
   * The filter of a root list over `entity`, with both scopes; null when nothing can match. Hosts
   * with a restricted scope: those a service instance of an allowed business runs on (one `distinct`
   * before the page).
   */
  async listFilter(entity: CmdbEntityName, filter: Filter<Document>): Promise<Filter<Document> | null> {
    if (entity !== "host" || !this.restricted) return this.scoped(filter);
    const instances = this.scoped({});
    if (!instances) return null;
    const hostIds = await this.query((timeout) => this.collection(CmdbCollection.serviceInstance).distinct("bk_host_id", instances, timeout));
    if (hostIds.length === 0) return null;
    return this.scoped(withKeysFirst({ bk_host_id: { $in: hostIds } }, filter), false);
  }

  /** An entity by its key within one business (steps F, H, I of list_process_related_info). */
  ofBusiness(entity: CmdbEntityName, bizId: number): DocumentLoader {
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
  children(entity: CmdbEntityName, parentField: string): DocumentListLoader {
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
  async loadChildren(entity: CmdbEntityName, parentField: string, parentKey: LoaderKey, projection: Projection): Promise<Document[]> {
    const documents = await this.children(entity, parentField).load(parentKey, projection);
    const byId = this.byId(entity);
    for (const document of documents) byId.prime(document[CmdbEntity[entity].key] as number, document, projection);
    return documents;
  }

  /**
   * Process–service-instance relations by one of their fields, not owner-scoped like upstream's
   * relation reads (Q12) but access-scoped by their `bk_biz_id`. Rows of one key come in
   * `bk_process_id` order.
   */
  relations(field: RelationField): DocumentListLoader {
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
  async hostsWithInnerIp(ip: string, projection: Projection): Promise<Document[]> {
    const hosts = await this.loadChildren("host", "bk_host_innerip", ip, projection);
    if (!this.restricted) return hosts;
    const visible = await this.inScope("host", hosts.map((host) => host.bk_host_id as number), projection);
    return visible.filter((host): host is Document => host !== null);
  }

  /** The process attributes declared in `cc_ObjAttDes` (one read per request, only when needed). */
  processAttributes(): Promise<Document[]> {
    this.attributes ??= this.query((timeout) =>
      this.collection(CmdbCollection.attribute)
        .find({ bk_obj_id: "process" }, { projection: { _id: 0, bk_property_id: 1, bk_property_name: 1, bk_property_type: 1, ispre: 1 }, ...timeout })
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
