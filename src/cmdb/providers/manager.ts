import type { GraphQLResolveInfo } from "graphql";
import type { Document, Filter } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import { cursorParts, encodeCursor } from "../../graphql/cursor";
import { withKeysFirst } from "../../graphql/loaders";
import { badUserInput } from "../../graphql/errors";
import { projectionFromInfo, toMongoProjection, unionProjection, type Projection } from "../../graphql/projection";
import { CmdbEntity, type CmdbEntityName } from "../collections";
import type { ConnectionValue } from "../types/common";
import { CmdbStore } from "./store";

/** Root lists: default and maximum page size. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;
/** By-ids root fields: at most this many ids per call. */
export const MAX_IDS = 500;

const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);

function decodeCursor(entity: CmdbEntityName, cursor: string): number {
  const [kind, key] = cursorParts(cursor);
  if (kind === entity && isId(key)) return key;
  throw badUserInput(`after: not a cursor of this list`, { argumentName: "after" });
}

/**
 * The graph's reads (navigation and root fields) over the request's loaders: one `$in` query per
 * collection per level of a query, projections from the selection, by-id loaders primed by lists.
 */
export class CmdbManager {
  readonly store: CmdbStore;

  private constructor(ctx: RequestContext) {
    this.store = CmdbStore.of(ctx);
  }

  static of(ctx: RequestContext): CmdbManager {
    return ctx.loaders.get("cmdb:manager", () => new CmdbManager(ctx));
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
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badUserInput(`first: between 1 and ${MAX_PAGE_SIZE}`, { argumentName: "first" });
    const { key, collection } = CmdbEntity[entity];
    const after = args.after ? decodeCursor(entity, args.after) : undefined;
    // Both scopes; null: nothing in scope can match, so neither the page nor the count is queried.
    const base = await this.store.listFilter(entity, filter);
    if (base === null) return { nodes: [], edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: Promise.resolve(0) };
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
    const nodes = found.slice(0, first);
    const byId = this.store.byId(entity);
    for (const node of nodes) byId.prime(node[key] as number, node, projection);
    const edges = nodes.map((node) => ({ cursor: encodeCursor([entity, node[key]]), node }));
    let count: Promise<number> | undefined;
    const store = this.store;
    return {
      nodes,
      edges,
      pageInfo: { hasNextPage: found.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      get totalCount() {
        count ??= store.query((timeout) => mongo.countDocuments(base, timeout));
        return count;
      },
    };
  }
}

/** The stored-field equality filter of a root list's optional arguments (absent ones dropped). */
export function equalities(values: Record<string, unknown>): Filter<Document> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== null));
}
