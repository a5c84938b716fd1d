import { isIP } from "node:net";
import type { GraphQLResolveInfo } from "graphql";
import type { Document, Filter } from "mongodb";
import { CmdbStore } from "../../cmdb/providers/store";
import type { RequestContext } from "../../graphql/context";
import { connectionOf, cursorCodec, pageSize, type ConnectionValue } from "../../graphql/connection";
import { badUserInput } from "../../graphql/errors";
import { withKeysFirst } from "../../graphql/loaders";
import { asTyped, type TypedDocument } from "../../graphql/node";
import { ProcessHealthStatus, ProcessSource } from "../../graphql/process";
import { connectionNodeProjection, toMongoProjection, unionProjection, type Projection } from "../../graphql/projection";
import { isValidAppCode } from "../../paas/ids";
import { PaasStore } from "../../paas/providers/store";
import { ProcessOrderField, SortDirection, type ProcessFilter, type ProcessOrder } from "../types/search";
import { PAAS_HEALTH_EXPRESSION, paasHealthCondition } from "./processes";
import { CrossModelStore } from "./store";

export const DEFAULT_PROCESS_PAGE = 50;
export const MAX_PROCESS_PAGE = 200;
export const MAX_NAME_PATTERN = 100;
/** `*` wildcards of a name pattern, a run of them counting as one. */
export const MAX_NAME_PATTERN_STARS = 10;

const globSegment = (segment: string) => segment.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => (c === "?" ? "." : `\\${c}`));

/**
 * A glob (`*`, `?`) as an anchored regular expression that cannot backtrack catastrophically (docs/graph.md,
 * "Unified search"); every other character is escaped (no regex injection). `a*b*c` as `^a.*b.*c$`
 * would make a backtracking engine try every split of the name between the stars (time growing as
 * the name's length to the power of the stars; MongoDB's maxTimeMS does not stop a regex match).
 * Instead each middle segment is matched at its first occurrence, for good: `(?=(.*?b))\1` finds it
 * in a lookahead, which is never re-entered, and the back-reference consumes it. That is the same
 * match, since segments have fixed lengths and an earlier one leaves more room for the rest.
 */
export function globToRegex(pattern: string): string {
  const segments = pattern.split(/\*+/).map(globSegment);
  if (segments.length === 1) return `^${segments[0]}$`;
  const middle = segments.slice(1, -1).map((segment, i) => `(?=(.*?${segment}))\\${i + 1}`);
  return `^${segments[0]}${middle.join("")}.*${segments.at(-1)}$`;
}

/** The number of `*` wildcards of a glob, a run counting as one. */
const globStars = (pattern: string) => pattern.match(/\*+/g)?.length ?? 0;

type Position = { source: ProcessSource.CMDB; key: number } | { source: ProcessSource.PAAS; key: string };


/** A condition on string-keyed documents (the driver's `Filter` types `_id` as an ObjectId). */
type Condition = Filter<Document> | Record<string, unknown>;

const and = (conditions: Array<Condition | undefined>): Filter<Document> => {
  const present = conditions.filter((c): c is Condition => c !== undefined && Object.keys(c).length > 0);
  return (present.length === 0 ? {} : present.length === 1 ? present[0] : { $and: present }) as Filter<Document>;
};

/*
 * Ordered search (docs/graph.md, "Unified search"): the order is (sort key, source, id), the whole
 * tuple reversed for DESC, so it is total and a cursor holding the tuple resumes exactly after its
 * row. Each model is asked for its next `first + 1` rows past the cursor in that order (the key
 * computed by MongoDB), and the two lists are merged here with MongoDB's comparison: null before
 * numbers before strings, strings by their UTF-8 bytes.
 */

type SortKey = string | number | null;
interface OrderedPosition {
  key: SortKey;
  source: ProcessSource;
  id: number | string;
}

/** HEALTH ascending: worst first. */
const HEALTH_RANK: Record<ProcessHealthStatus, number> = {
  [ProcessHealthStatus.UNHEALTHY]: 0,
  [ProcessHealthStatus.STOPPED]: 1,
  [ProcessHealthStatus.UNKNOWN]: 2,
  [ProcessHealthStatus.HEALTHY]: 3,
};
const SOURCE_RANK: Record<ProcessSource, number> = { [ProcessSource.CMDB]: 0, [ProcessSource.PAAS]: 1 };
/** The computed sort key's field in the aggregation (dropped before a document leaves the search). */
const SORT_KEY = "_procgraphSortKey";
const ID_FIELD: Record<ProcessSource, string> = { [ProcessSource.CMDB]: "bk_process_id", [ProcessSource.PAAS]: "_id" };

/** The aggregation expression of a document's sort key, agreeing with the `name` and `health` fields. */
function sortKeyExpression(field: ProcessOrderField, source: ProcessSource): unknown {
  const cmdb = source === ProcessSource.CMDB;
  switch (field) {
    case ProcessOrderField.NAME:
      return { $ifNull: [cmdb ? "$bk_process_name" : "$name", ""] };
    case ProcessOrderField.HEALTH:
      return cmdb
        ? { $literal: HEALTH_RANK[ProcessHealthStatus.UNKNOWN] }
        : { $switch: { branches: Object.entries(HEALTH_RANK).map(([status, rank]) => ({ case: { $eq: [PAAS_HEALTH_EXPRESSION, status] }, then: rank })), default: HEALTH_RANK[ProcessHealthStatus.UNKNOWN] } };
    case ProcessOrderField.SOURCE:
      return { $literal: SOURCE_RANK[source] };
    case ProcessOrderField.DESIRED:
      return cmdb ? { $cond: [{ $isNumber: "$proc_num" }, "$proc_num", null] } : { $ifNull: ["$replicas", 0] };
    case ProcessOrderField.AVAILABLE:
      return cmdb ? { $literal: null } : { $ifNull: ["$success", 0] };
  }
}

/** MongoDB's order of the values a sort key takes: null, then numbers, then strings by UTF-8 bytes. */
function compareKeys(a: SortKey, b: SortKey): number {
  const type = (v: SortKey) => (v === null ? 0 : typeof v === "number" ? 1 : 2);
  if (type(a) !== type(b)) return type(a) - type(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return 0;
}

function comparePositions(a: OrderedPosition, b: OrderedPosition): number {
  return compareKeys(a.key, b.key) || SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || compareKeys(a.id, b.id);
}

const isSortKey = (key: unknown): key is SortKey => key === null || (typeof key === "number" && Number.isFinite(key)) || (typeof key === "string" && key.length <= 512);

/** A cursor of the default order, or of an `orderBy` order (with that order in it). */
type CursorPosition = Position | { order: { field: unknown; direction: unknown }; at: OrderedPosition };

/** `processes`' cursors: `["process", source, key]`, or `["process", "order", field, direction, key, source, id]`. */
const processCursors = cursorCodec<CursorPosition>(
  "process",
  "processes",
  ([first, ...rest]): CursorPosition | undefined => {
    if (first === "order") {
      const [field, direction, key, source, id] = rest;
      if (isSortKey(key) && source === ProcessSource.CMDB && typeof id === "number" && Number.isSafeInteger(id)) return { order: { field, direction }, at: { key, source, id } };
      if (isSortKey(key) && source === ProcessSource.PAAS && typeof id === "string" && id.length <= 512) return { order: { field, direction }, at: { key, source, id } };
      return undefined;
    }
    const [key] = rest;
    if (first === ProcessSource.CMDB && typeof key === "number" && Number.isSafeInteger(key)) return { source: first, key };
    if (first === ProcessSource.PAAS && typeof key === "string" && key.length <= 512) return { source: first, key };
    return undefined;
  },
  (position) => ("order" in position ? ["order", position.order.field, position.order.direction, position.at.key, position.at.source, position.at.id] : [position.source, position.key]),
);

/** The position of `after` in the request's order; BAD_USER_INPUT for a cursor of another order. */
function positionOf(after: string, orderBy: ProcessOrder | null): { position?: Position; ordered?: OrderedPosition } {
  const decoded = processCursors.decode(after);
  if (!orderBy) {
    if ("order" in decoded) throw badUserInput("after: not a cursor of processes", { argumentName: "after" });
    return { position: decoded };
  }
  if (!("order" in decoded)) throw badUserInput("after: not a cursor of processes in this orderBy", { argumentName: "after" });
  const { field, direction } = decoded.order;
  if (field !== orderBy.field || direction !== orderBy.direction) throw badUserInput(`after: a cursor of orderBy ${String(field)} ${String(direction)}, not ${orderBy.field} ${orderBy.direction}`, { argumentName: "after" });
  return { ordered: decoded.at };
}

const encodeOrderedCursor = (order: ProcessOrder, at: OrderedPosition) => processCursors.encode({ order, at });

/** `$expr`: a document of `source` comes after `position` in the order. Values are $literal: a name may start with `$`. */
function pastCondition(source: ProcessSource, position: OrderedPosition, ascending: boolean): unknown {
  const op = ascending ? "$gt" : "$lt";
  const keyPast = { [op]: [`$${SORT_KEY}`, { $literal: position.key }] };
  const keyEqual = { $eq: [`$${SORT_KEY}`, { $literal: position.key }] };
  const sourceOrder = SOURCE_RANK[source] - SOURCE_RANK[position.source];
  if (sourceOrder === 0) return { $or: [keyPast, { $and: [keyEqual, { [op]: [`$${ID_FIELD[source]}`, { $literal: position.id }] }] }] };
  return (ascending ? sourceOrder > 0 : sourceOrder < 0) ? { $or: [keyPast, keyEqual] } : keyPast;
}

interface Row {
  node: TypedDocument;
  cursor: string;
}

export type ProcessPage = ConnectionValue<TypedDocument>;

/**
 * The unified `processes` search. Every condition becomes a MongoDB condition on `cc_Process` and
 * `paas_processes` (a host IP is first resolved to process keys with one query per model); the
 * caller's scope is one more condition. Order: CMDB by bk_process_id, then PaaS by key; or `orderBy`
 * (below).
 */
export class ProcessSearch {
  constructor(private readonly ctx: RequestContext) {}

  private validate(filter: ProcessFilter, first: number): void {
    pageSize(first, { defaultSize: DEFAULT_PROCESS_PAGE, max: MAX_PROCESS_PAGE });
    if (filter.namePattern != null && filter.namePattern.length > MAX_NAME_PATTERN) throw badUserInput(`filter.namePattern: at most ${MAX_NAME_PATTERN} characters`, { argumentName: "filter" });
    if (filter.namePattern != null && globStars(filter.namePattern) > MAX_NAME_PATTERN_STARS) {
      throw badUserInput(`filter.namePattern: at most ${MAX_NAME_PATTERN_STARS} * wildcards (a run of * counts as one)`, { argumentName: "filter" });
    }
    if (filter.hostIp != null && isIP(filter.hostIp) === 0) throw badUserInput("filter.hostIp: not an IP address", { argumentName: "filter" });
    if (filter.paasAppCode != null && !isValidAppCode(filter.paasAppCode)) throw badUserInput("filter.paasAppCode: not a PaaS app code", { argumentName: "filter" });
  }

  /** The `cc_Process` condition, or null when no CMDB process can match. */
  private async cmdbCondition(filter: ProcessFilter): Promise<Filter<Document> | null> {
    if (filter.source === ProcessSource.PAAS || filter.paasAppCode != null) return null;
    if (filter.health != null && filter.health !== ProcessHealthStatus.UNKNOWN) return null;
    const { scope } = this.ctx;
    if (filter.cmdbBusinessId != null && !scope.allowsCmdbBusiness(filter.cmdbBusinessId)) return null;
    if (scope.noCmdbBusinesses) return null;
    const store = CmdbStore.of(this.ctx);
    let processIds: Filter<Document> | undefined;
    if (filter.hostIp != null) {
      const ids = await store.processIdsOnHostIp(filter.hostIp);
      if (ids.length === 0) return null;
      processIds = { bk_process_id: { $in: ids } };
    }
    return store.scoped(
      and([
        // The store adds the access scope (and refuses a business outside it).
        filter.cmdbBusinessId != null ? { bk_biz_id: filter.cmdbBusinessId } : undefined,
        filter.namePattern != null ? { bk_process_name: { $regex: globToRegex(filter.namePattern), $options: "i" } } : undefined,
        processIds,
      ]),
    );
  }

  /** The `paas_processes` condition, or null when no PaaS process can match. */
  private async paasCondition(filter: ProcessFilter): Promise<Filter<Document> | null> {
    if (filter.source === ProcessSource.CMDB) return null;
    const health = filter.health != null ? paasHealthCondition(filter.health) : undefined;
    if (health === null) return null;
    let codes: string[] | undefined = filter.paasAppCode != null ? [filter.paasAppCode] : undefined;
    if (filter.cmdbBusinessId != null) {
      if (!this.ctx.scope.allowsCmdbBusiness(filter.cmdbBusinessId)) return null;
      const linked = await CrossModelStore.of(this.ctx).appCodesLinkedTo(filter.cmdbBusinessId);
      codes = codes ? codes.filter((code) => linked.includes(code)) : linked;
    }
    // The PaaS store adds the caller's apps.
    const apps = PaasStore.of(this.ctx).appsCondition("_id", codes);
    if (!apps) return null;
    let keys: Condition | undefined;
    if (filter.hostIp != null) {
      const processKeys = await PaasStore.of(this.ctx).processKeysOnHostIp(filter.hostIp);
      if (processKeys.length === 0) return null;
      keys = { _id: { $in: processKeys } };
    }
    return and([
      apps,
      keys,
      filter.namePattern != null ? { name: { $regex: globToRegex(filter.namePattern), $options: "i" } } : undefined,
      health,
    ]);
  }

  /** The default order: CMDB by bk_process_id, then PaaS by key (one query per model at most). */
  private async byIds(cmdb: Filter<Document> | null, paas: Filter<Document> | null, position: Position | undefined, first: number, projection: (typename: string) => Projection): Promise<Row[]> {
    const store = CmdbStore.of(this.ctx);
    const found: Row[] = [];
    if (cmdb && position?.source !== ProcessSource.PAAS) {
      const query = position ? withKeysFirst({ bk_process_id: { $gt: position.key } }, cmdb) : cmdb;
      const fields = unionProjection(projection("CmdbProcess"), new Set(["bk_process_id"]));
      const documents = await store.processesInIdOrder(query, fields, first + 1);
      for (const document of documents) {
        found.push({ node: asTyped("CmdbProcess", document), cursor: processCursors.encode({ source: ProcessSource.CMDB, key: document.bk_process_id as number }) });
      }
    }
    if (paas && found.length <= first) {
      const after: Condition | undefined = position?.source === ProcessSource.PAAS ? { _id: { $gt: position.key } } : undefined;
      const query = after ? withKeysFirst(after as Filter<Document>, paas) : paas;
      const limit = first + 1 - found.length;
      const fields = unionProjection(projection("PaasProcess"), new Set(["_id"]));
      const documents = await PaasStore.of(this.ctx).processesInKeyOrder(query, fields, limit);
      for (const document of documents) found.push({ node: asTyped("PaasProcess", document), cursor: processCursors.encode({ source: ProcessSource.PAAS, key: String(document._id) }) });
    }
    return found;
  }

  /** An `orderBy` order: each model's next `first + 1` rows past the cursor, merged. */
  private async ordered(
    cmdb: Filter<Document> | null,
    paas: Filter<Document> | null,
    order: ProcessOrder,
    position: OrderedPosition | undefined,
    first: number,
    projection: (typename: string) => Projection,
  ): Promise<Row[]> {
    const ascending = order.direction === SortDirection.ASC;
    const store = CmdbStore.of(this.ctx);
    const read = async (source: ProcessSource, condition: Filter<Document> | null) => {
      if (!condition) return [];
      const cmdbSide = source === ProcessSource.CMDB;
      const fields = unionProjection(projection(cmdbSide ? "CmdbProcess" : "PaasProcess"), new Set([ID_FIELD[source]]));
      const mongoFields = toMongoProjection(fields);
      const direction = ascending ? 1 : -1;
      const pipeline: Document[] = [
        { $match: condition },
        { $addFields: { [SORT_KEY]: sortKeyExpression(order.field, source) } },
        ...(position ? [{ $match: { $expr: pastCondition(source, position, ascending) } }] : []),
        { $sort: { [SORT_KEY]: direction, [ID_FIELD[source]]: direction } },
        { $limit: first + 1 },
        ...(mongoFields ? [{ $project: { ...mongoFields, [SORT_KEY]: 1 } }] : []),
      ];
      const documents = await (cmdbSide ? store.aggregateProcesses(pipeline, first + 1) : PaasStore.of(this.ctx).aggregateProcesses(pipeline, first + 1));
      const byId = store.byId("process");
      return documents.map((document) => {
        const key = document[SORT_KEY] as SortKey;
        delete document[SORT_KEY];
        if (cmdbSide) byId.prime(document.bk_process_id as number, document, fields);
        const id = cmdbSide ? (document.bk_process_id as number) : String(document._id);
        return { node: asTyped(cmdbSide ? "CmdbProcess" : "PaasProcess", document), position: { key: isSortKey(key) ? key : null, source, id } };
      });
    };
    const [fromCmdb, fromPaas] = await Promise.all([read(ProcessSource.CMDB, cmdb), read(ProcessSource.PAAS, paas)]);
    return [...fromCmdb, ...fromPaas]
      .sort((a, b) => (ascending ? 1 : -1) * comparePositions(a.position, b.position))
      .slice(0, first + 1)
      .map(({ node, position: at }) => ({ node, cursor: encodeOrderedCursor(order, at) }));
  }

  async page(filter: ProcessFilter, first: number, after: string | null, info: GraphQLResolveInfo, orderBy: ProcessOrder | null = null): Promise<ProcessPage> {
    this.validate(filter, first);
    if (orderBy && (!Object.values(ProcessOrderField).includes(orderBy.field) || !Object.values(SortDirection).includes(orderBy.direction))) {
      throw badUserInput(`orderBy: field one of ${Object.values(ProcessOrderField).join(", ")}, direction ASC or DESC`, { argumentName: "orderBy" });
    }
    const { position, ordered: orderedPosition } = after ? positionOf(after, orderBy) : {};
    const [cmdb, paas] = await Promise.all([this.cmdbCondition(filter), this.paasCondition(filter)]);
    const projection = (typename: string): Projection => connectionNodeProjection(info, typename);
    const store = CmdbStore.of(this.ctx);
    const found = orderBy
      ? await this.ordered(cmdb, paas, orderBy, orderedPosition, first, projection)
      : await this.byIds(cmdb, paas, position, first, projection);
    const ctx = this.ctx;
    const cursors = new Map(found.map((row) => [row.node, row.cursor]));
    return connectionOf(found.map((row) => row.node), first, (node) => cursors.get(node)!, () =>
      Promise.all([cmdb ? store.countProcesses(cmdb) : 0, paas ? PaasStore.of(ctx).countProcesses(paas) : 0]).then(([a, b]) => a + b),
    );
  }
}
