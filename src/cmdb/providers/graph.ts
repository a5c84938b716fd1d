import type { GraphQLResolveInfo } from "graphql";
import type { Document, Filter } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import { withKeysFirst } from "../../graphql/loaders";
import { badUserInput } from "../../graphql/errors";
import { projectionFromInfo, toMongoProjection, unionProjection, type Projection } from "../../graphql/projection";
import { CmdbEntity, type CmdbEntityName } from "../collections";
import { connectionOf, cursorCodec, emptyConnection, pageSize, type ConnectionValue } from "../../graphql/connection";
import { CmdbStore } from "./store";

/** Root lists: default and maximum page size. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;
/** By-ids root fields: at most this many ids per call. */
export const MAX_IDS = 500;

const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);

/**
 * The graph's reads (navigation and root fields) over the request's loaders: one `$in` query per
 * collection per level of a query, projections from the selection, by-id loaders primed by lists.
 */
export class CmdbGraph {
  readonly store: CmdbStore;

  private constructor(ctx: RequestContext) {
    this.store = CmdbStore.of(ctx);
  }

  static of(ctx: RequestContext): CmdbGraph {
    return ctx.loaders.get("cmdb:graph", () => new CmdbGraph(ctx));
  }

  /** Navigation to an entity by key (from an entity already in scope). */
  one(entity: CmdbEntityName, id: unknown, info: GraphQLResolveInfo): Promise<Document | null> {
    return isId(id) ? this.store.byId(entity).load(id, projectionFromInfo(info)) : Promise.resolve(null);
  }

  /** A root field by id: null for a miss or an entity outside the caller's scope. */
  async root(entity: CmdbEntityName, id: number, info: GraphQLResolveInfo): Promise<Document | null> {
    return (await this.store.inScope(entity, [id], projectionFromInfo(info)))[0];
  }

  /** In key order, null for a miss (or outside the scope): the shape a stitching gateway batches against. */
  many(entity: CmdbEntityName, ids: number[], info: GraphQLResolveInfo): Promise<Array<Document | null>> {
    if (ids.length > MAX_IDS) throw badUserInput(`ids: at most ${MAX_IDS} ids per call`, { argumentName: "ids" });
    return this.store.inScope(entity, ids, projectionFromInfo(info));
  }

  children(entity: CmdbEntityName, parentField: string, parentKey: unknown, info: GraphQLResolveInfo): Promise<Document[]> {
    return isId(parentKey) ? this.store.loadChildren(entity, parentField, parentKey, projectionFromInfo(info)) : Promise.resolve([]);
  }

  /** The first relation row of a process (rows ordered by service instance), or null. */
  async relationOf(processId: unknown): Promise<Document | null> {
    if (!isId(processId)) return null;
    const rows = await this.store.relations("bk_process_id").load(processId, new Set());
    return rows[0] ?? null;
  }

  /** The processes related through `cc_ProcessInstanceRelation` to a service instance, host or template. */
  async processesBy(field: "service_instance_id" | "bk_host_id" | "process_template_id", key: unknown, info: GraphQLResolveInfo): Promise<Document[]> {
    if (!isId(key)) return [];
    const rows = await this.store.relations(field).load(key, new Set());
    const ids = [...new Set(rows.map((row) => row.bk_process_id).filter(isId))];
    const processes = await this.store.byId("process").loadMany(ids, projectionFromInfo(info));
    return processes.filter((p): p is Document => p !== null);
  }

  /** A page of a root list in ascending key order; `totalCount` runs only when selected. */
  async page(entity: CmdbEntityName, filter: Filter<Document>, args: { first?: number | null; after?: string | null }, info: GraphQLResolveInfo): Promise<ConnectionValue<Document>> {
    const first = pageSize(args.first, { defaultSize: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE });
    const { key, collection } = CmdbEntity[entity];
    const cursors = cursorsOf(entity);
    const after = args.after ? cursors.decode(args.after) : undefined;
    // Both scopes; null: nothing in scope can match, so neither the page nor the count is queried.
    const base = await this.store.listFilter(entity, filter);
    if (base === null) return emptyConnection();
    const query = after !== undefined ? withKeysFirst({ [key]: { $gt: after } }, base) : base;
    const projection: Projection = unionProjection(projectionFromInfo(info, { path: ["nodes"] }), projectionFromInfo(info, { path: ["edges", "node"] }));
    const mongo = this.store.collection(collection);
    const found = await this.store.query((timeout) =>
      mongo
        .find(query, { projection: toMongoProjection(unionProjection(projection, new Set([key]))) ?? { _id: 0 }, batchSize: first + 1, ...timeout })
        .sort({ [key]: 1 })
        .limit(first + 1)
        .toArray(),
    );
    const byId = this.store.byId(entity);
    for (const node of found.slice(0, first)) byId.prime(node[key] as number, node, projection);
    const store = this.store;
    return connectionOf(found, first, (node) => cursors.encode(node[key] as number), () => store.query((timeout) => mongo.countDocuments(base, timeout)));
  }
}

const cursorCodecs = new Map<CmdbEntityName, ReturnType<typeof cmdbCursors>>();
const cmdbCursors = (entity: CmdbEntityName) =>
  cursorCodec(
    entity,
    "this list",
    ([key]) => (isId(key) ? key : undefined),
    (key: number) => [key],
  );
/** A root list's cursors: `[entity, key]`. */
function cursorsOf(entity: CmdbEntityName) {
  let codec = cursorCodecs.get(entity);
  if (!codec) cursorCodecs.set(entity, (codec = cmdbCursors(entity)));
  return codec;
}

/** The stored-field equality filter of a root list's optional arguments (absent ones dropped). */
export function equalities(values: Record<string, unknown>): Filter<Document> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== null));
}
