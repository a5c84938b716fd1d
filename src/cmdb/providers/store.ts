import type { IncomingHttpHeaders } from "node:http";
import type { Collection, Document, Filter } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import { DocumentListLoader, DocumentLoader } from "../../graphql/loaders";
import type { Projection } from "../../graphql/projection";
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

/**
 * Data access to bk-cmdb's collections for one request: collection names (with the tenant prefix),
 * the owner scope, and the per-request loaders of every relation. Read-only (spec C-33).
 */
export class CmdbStore {
  /** The owner filter, or undefined (superadmin, or a prefixed v3.15 tenant database: C-32). */
  readonly scope: Filter<Document> | undefined;
  private attributes?: Promise<Document[]>;

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

  /** `filter` plus the owner scope at the top level, as coreservice adds it. */
  scoped(filter: Filter<Document>): Filter<Document> {
    return this.scope ? { ...filter, ...this.scope } : filter;
  }

  /** An entity by its key, owner-scoped. */
  byId(entity: CmdbEntityName): DocumentLoader {
    const { collection, key } = CmdbEntity[entity];
    return this.ctx.loaders.get(`cmdb:byId:${entity}`, () => new DocumentLoader({ collection: this.collection(collection), keyField: key, baseFilter: this.scope }));
  }

  /** An entity by its key within one business (steps F, H, I of list_process_related_info). */
  ofBusiness(entity: CmdbEntityName, bizId: number): DocumentLoader {
    const { collection, key } = CmdbEntity[entity];
    return this.ctx.loaders.get(
      `cmdb:ofBiz:${entity}:${bizId}`,
      () => new DocumentLoader({ collection: this.collection(collection), keyField: key, baseFilter: this.scoped({ bk_biz_id: bizId }) }),
    );
  }

  /** The children of many parents (e.g. the sets of businesses), owner-scoped, in key order. */
  children(entity: CmdbEntityName, parentField: string): DocumentListLoader {
    const { collection, key } = CmdbEntity[entity];
    return this.ctx.loaders.get(
      `cmdb:children:${entity}:${parentField}`,
      () => new DocumentListLoader({ collection: this.collection(collection), keyField: parentField, baseFilter: this.scope, sort: { [key]: 1 } }),
    );
  }

  /** Loads children and primes the by-id loader with them, so walking back down costs nothing. */
  async loadChildren(entity: CmdbEntityName, parentField: string, parentKey: number, projection: Projection): Promise<Document[]> {
    const documents = await this.children(entity, parentField).load(parentKey, projection);
    const byId = this.byId(entity);
    for (const document of documents) byId.prime(document[CmdbEntity[entity].key] as number, document, projection);
    return documents;
  }

  /**
   * Process–service-instance relations by one of their fields, unscoped like upstream's relation
   * reads (Q12). Rows of one key come in `bk_process_id` order.
   */
  relations(field: "bk_process_id" | "service_instance_id" | "bk_host_id" | "process_template_id"): DocumentListLoader {
    return this.ctx.loaders.get(
      `cmdb:relations:${field}`,
      () =>
        new DocumentListLoader({
          collection: this.collection(CmdbCollection.relation),
          keyField: field,
          sort: { bk_process_id: 1, service_instance_id: 1 },
          alwaysFields: ["bk_process_id", "service_instance_id", "bk_host_id", "process_template_id", "bk_biz_id"],
        }),
    );
  }

  /**
   * Entities by key within the owner scope *and* the caller's access scope (`node`, `nodes`, the
   * cross-model links), in key order, null for a miss or an entity of another business. A host has
   * no business of its own: it is in scope when a service instance of an allowed business runs on
   * it (one more query, sent with the hosts' in the same tick).
   */
  async loadInScope(entity: CmdbEntityName, keys: readonly number[], projection: Projection): Promise<Array<Document | null>> {
    const businesses = this.ctx.scope.cmdbBusinesses;
    if (businesses === "all") return this.byId(entity).loadMany(keys, projection);
    if (businesses.size === 0 || keys.length === 0) return keys.map(() => null);
    const allowed = { bk_biz_id: { $in: [...businesses] } };
    if (entity !== "host") {
      const { collection, key } = CmdbEntity[entity];
      const loader = this.ctx.loaders.get(
        `cmdb:inScope:${entity}`,
        () => new DocumentLoader({ collection: this.collection(collection), keyField: key, baseFilter: this.scoped(allowed) }),
      );
      return loader.loadMany(keys, projection);
    }
    const instancesOnHost = this.ctx.loaders.get(
      "cmdb:inScope:hostServiceInstances",
      () => new DocumentListLoader({ collection: this.collection(CmdbCollection.serviceInstance), keyField: "bk_host_id", baseFilter: this.scoped(allowed) }),
    );
    const [hosts, instances] = await Promise.all([this.byId("host").loadMany(keys, projection), instancesOnHost.loadMany(keys, new Set(["bk_host_id"]))]);
    return hosts.map((host, i) => (instances[i].length > 0 ? host : null));
  }

  /**
   * The hosts with `ip` among their inner IPs (`bk_host_innerip` is a list: the loader files a host
   * under each of its IPs), owner- and access-scoped, by ascending bk_host_id. One query per batch
   * of IPs (and one for the access scope when it is restricted).
   */
  async hostsWithInnerIp(ip: string, projection: Projection): Promise<Document[]> {
    const loader = this.ctx.loaders.get(
      "cmdb:hostsByInnerIp",
      () => new DocumentListLoader({ collection: this.collection(CmdbCollection.host), keyField: "bk_host_innerip", baseFilter: this.scope, sort: { bk_host_id: 1 } }),
    );
    const hosts = await loader.load(ip, projection);
    const byId = this.byId("host");
    for (const host of hosts) byId.prime(host.bk_host_id as number, host, projection);
    const visible = await this.loadInScope("host", hosts.map((host) => host.bk_host_id as number), projection);
    return visible.filter((host): host is Document => host !== null);
  }

  /** The process attributes declared in `cc_ObjAttDes` (one read per request, only when needed). */
  processAttributes(): Promise<Document[]> {
    this.attributes ??= this.collection(CmdbCollection.attribute)
      .find({ bk_obj_id: "process" }, { projection: { _id: 0, bk_property_id: 1, bk_property_name: 1, bk_property_type: 1, ispre: 1 } })
      .sort({ bk_property_id: 1 })
      .toArray();
    return this.attributes;
  }
}
