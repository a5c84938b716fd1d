import type { GraphQLResolveInfo } from "graphql";
import type { Document, Filter } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import { connectionOf, cursorCodec, emptyConnection, pageSize, type ConnectionValue } from "../../graphql/connection";
import { badUserInput } from "../../graphql/errors";
import { andThen, type MaybePromise } from "../../graphql/maybePromise";
import { CONNECTION_ROWS, prefetch } from "../../graphql/prefetch";
import { connectionNodeProjection, projectionFromInfo } from "../../graphql/projection";
import { CmdbEntity, isCmdbId, PROCESS_KNOWN_FIELDS, type CmdbEntityDocs, type CmdbEntityName, type ProcessDoc, type RelationDoc } from "../collections";
import { CmdbStore, type RelationField } from "./store";

/** Root lists: default and maximum page size. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;
/** By-ids root fields: at most this many ids per call. */
export const MAX_IDS = 500;

/**
 * The logic of the CMDB graph's reads (navigation and root fields), over the store's per-request
 * loaders: one `$in` query per collection per level of a query, projections from the selection,
 * by-id loaders primed by lists; argument checks (page size, cursors, id counts) here, every query
 * and both scopes in `CmdbStore`.
 */
export class CmdbManager {
  readonly store: CmdbStore;

  private constructor(private readonly ctx: RequestContext) {
    this.store = CmdbStore.of(ctx);
  }

  static of(ctx: RequestContext): CmdbManager {
    return ctx.loaders.get("cmdb:manager", () => new CmdbManager(ctx));
  }

  /** Navigation to an entity by key (from an entity already in scope). */
  one<E extends CmdbEntityName>(entity: E, id: unknown, info: GraphQLResolveInfo): MaybePromise<CmdbEntityDocs[E] | null> {
    return isCmdbId(id) ? this.store.one(entity, id, projectionFromInfo(info)) : null;
  }

  /** A root field by id: null for a miss or an entity outside the caller's scope. */
  async root<E extends CmdbEntityName>(entity: E, id: number, info: GraphQLResolveInfo): Promise<CmdbEntityDocs[E] | null> {
    return (await this.store.inScope(entity, [id], projectionFromInfo(info)))[0];
  }

  /** In key order, null for a miss (or outside the scope): the shape a stitching gateway batches against. */
  many<E extends CmdbEntityName>(entity: E, ids: number[], info: GraphQLResolveInfo): MaybePromise<Array<CmdbEntityDocs[E] | null>> {
    if (ids.length > MAX_IDS) throw badUserInput(`ids: at most ${MAX_IDS} ids per call`, { argumentName: "ids" });
    return this.store.inScope(entity, ids, projectionFromInfo(info));
  }

  children<E extends CmdbEntityName>(entity: E, parentField: string, parentKey: unknown, info: GraphQLResolveInfo): MaybePromise<Array<CmdbEntityDocs[E]>> {
    return isCmdbId(parentKey) ? this.store.loadChildren(entity, parentField, parentKey, projectionFromInfo(info)) : [];
  }

  /** The first relation row of a process (rows ordered by service instance), or null. */
  relationOf(processId: unknown): MaybePromise<RelationDoc | null> {
    if (!isCmdbId(processId)) return null;
    return andThen(this.store.relations("bk_process_id", processId), firstRow);
  }

  /** An entity the process's relation row names (its service instance, host or template), or null. */
  throughRelation<E extends "serviceInstance" | "host" | "processTemplate">(entity: E, processId: unknown, info: GraphQLResolveInfo): MaybePromise<CmdbEntityDocs[E] | null> {
    const field = RELATION_FIELD[entity];
    return andThen(this.relationOf(processId), (relation) => this.one(entity, relation?.[field], info));
  }

  /** The processes related through `cc_ProcessInstanceRelation` to a service instance, host or template. */
  processesBy(field: Exclude<RelationField, "bk_process_id">, key: unknown, info: GraphQLResolveInfo): MaybePromise<ProcessDoc[]> {
    if (!isCmdbId(key)) return [];
    return andThen(this.store.relations(field, key), (rows) => {
      const ids = [...new Set(rows.map((row) => row.bk_process_id).filter(isCmdbId))];
      return andThen(this.store.many("process", ids, projectionFromInfo(info)), (processes) => processes.filter((process): process is ProcessDoc => process !== null));
    });
  }

  /** The user-defined process attributes declared in `cc_ObjAttDes` (beyond the standard ones), by name. */
  async userDefinedProcessAttributes(): Promise<string[]> {
    return (await this.store.processAttributes()).map((attribute) => String(attribute.bk_property_id)).filter((name) => !PROCESS_KNOWN_FIELDS.has(name));
  }

  /** A page of a root list in ascending key order; `totalCount` runs only when selected. */
  async page<E extends CmdbEntityName>(entity: E, filter: Filter<Document>, args: { first?: number | null; after?: string | null }, info: GraphQLResolveInfo): Promise<ConnectionValue<CmdbEntityDocs[E]>> {
    const first = pageSize(args.first, { defaultSize: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE });
    const { key } = CmdbEntity[entity];
    const cursors = cursorsOf(entity);
    const after = args.after ? cursors.decode(args.after) : undefined;
    const projection = connectionNodeProjection(info);
    const found = await this.store.listPage(entity, filter, after, first, projection);
    // Null: nothing in scope can match, so neither the page nor the count was queried.
    if (found === null) return emptyConnection();
    await prefetch(info, this.ctx, found.rows.slice(0, first), CONNECTION_ROWS);
    return connectionOf(found.rows, first, (node) => cursors.encode(node[key as keyof CmdbEntityDocs[E]] as number), found.count);
  }
}

const firstRow = (rows: readonly RelationDoc[]): RelationDoc | null => rows[0] ?? null;

/** The relation row's field naming each entity a process reaches through it. */
const RELATION_FIELD = { serviceInstance: "service_instance_id", host: "bk_host_id", processTemplate: "process_template_id" } as const;

/** A root list's cursors: `[entity, key]`. */
const cursorsOf = (entity: CmdbEntityName) => cursorCodec(entity, "this list", ([key]) => (isCmdbId(key) ? key : undefined), (key: number) => [key]);

/** The stored-field equality filter of a root list's optional arguments (absent ones dropped). */
export function equalities(values: Record<string, unknown>): Filter<Document> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== null));
}
