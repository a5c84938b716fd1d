import { MongoError, MongoServerError, type Document, type Filter, type Sort } from "mongodb";
import { LOADER_BATCH_SIZE, withKeysFirst } from "../../graphql/loaders";
import { isMongoUnavailable, isTimeout } from "../../db/health";
import { toMongoProjection, type Projection } from "../../graphql/projection";
import { CmdbCollection, PROCESS_KNOWN_FIELDS } from "../collections";
import { bkErrors, CmdbApiError } from "./errors";
import { checkFilterRegexes, exceedsMaxDepth, parseRule, ruleToMongo, tooDeepError, validateFilter, type Rule } from "./propertyFilter";
import type { CmdbStore } from "./store";

/**
 * `list_process_related_info` (spec cmdb-process-related-info.md): one validation and one query
 * implementation behind the native REST endpoint, the ESB endpoint and `cmdbProcessRelatedInfo`.
 */

/** A validated request. Lists are empty when absent, `null` or `[]` ("any", C-11). */
export interface RelatedInfoQuery {
  bizId: number;
  setIds: number[];
  moduleIds: number[];
  serviceInstanceIds: number[];
  processNames: string[];
  funcIds: string[];
  processIds: number[];
  propertyFilter: Rule | undefined;
  fields: string[];
  start: number;
  limit: number;
  sort: Array<[string, 1 | -1]>;
}

export interface RelatedInfoRow {
  process: Document;
  /** The process's `cc_ProcessInstanceRelation` row, or null for a process without one. */
  relation: Document | null;
}

export interface RelatedInfoResult {
  count: number;
  rows: RelatedInfoRow[];
}

export const MAX_PAGE_LIMIT = 500;
export const MANDATORY_PROCESS_FIELDS = ["bk_process_id", "bk_process_name", "bk_func_id"] as const;
const FIELD_NAME = /^[a-zA-Z0-9][\w\-.]*$/;
const INTEGER_TEXT = /^[+-]?\d+$/;

/** The six lists: flat key, nested container, nested key, element type (B.2). */
const LISTS = [
  { flat: "bk_set_ids", container: "set", key: "bk_set_ids", type: "int" },
  { flat: "bk_module_ids", container: "module", key: "bk_module_ids", type: "int" },
  { flat: "ids", container: "service_instance", key: "ids", type: "int" },
  { flat: "bk_process_names", container: "process", key: "bk_process_names", type: "string" },
  { flat: "bk_func_ids", container: "process", key: "bk_func_ids", type: "string" },
  { flat: "bk_process_ids", container: "process", key: "bk_process_ids", type: "int" },
] as const;

type ListKey = (typeof LISTS)[number]["flat"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const given = (value: unknown) => value !== undefined && value !== null;

/** `bk_biz_id` from the native path (text) or the ESB body (a JSON number): 1199011 otherwise (C-5). */
export function parseBizId(raw: unknown): number {
  const value = typeof raw === "string" && INTEGER_TEXT.test(raw) ? Number(raw) : typeof raw === "number" ? raw : NaN;
  if (!Number.isSafeInteger(value)) throw bkErrors.paramsIsInvalid("bk_biz_id");
  return value;
}

/** Step 2: the value types json-iterator would refuse to decode (1199000). */
function decodeList(value: unknown, type: "int" | "string"): unknown[] {
  if (!given(value)) return [];
  if (!Array.isArray(value)) throw bkErrors.jsonUnmarshalFailed();
  for (const item of value) {
    const ok = type === "int" ? Number.isSafeInteger(item) : typeof item === "string";
    if (!ok) throw bkErrors.jsonUnmarshalFailed();
  }
  return value;
}

function decodeContainer(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = body[key];
  if (!given(value)) return undefined;
  if (!isObject(value)) throw bkErrors.jsonUnmarshalFailed();
  return value;
}

function decodeOptional<T>(value: unknown, check: (v: unknown) => boolean): T | undefined {
  if (!given(value)) return undefined;
  if (!check(value)) throw bkErrors.jsonUnmarshalFailed();
  return value as T;
}

/** Step 9: upstream's sort grammar (A.8, C-16), over known process attributes only (C-17). */
async function parseSort(store: CmdbStore, raw: string | undefined): Promise<Array<[string, 1 | -1]>> {
  const items = (raw ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  const sort: Array<[string, 1 | -1]> = [];
  let known: ReadonlySet<string> = PROCESS_KNOWN_FIELDS;
  for (const item of items) {
    let field = item;
    let direction: 1 | -1 = 1;
    const colon = item.lastIndexOf(":");
    if (colon >= 0) {
      const suffix = item.slice(colon + 1).trim();
      if (suffix !== "1" && suffix !== "-1") throw bkErrors.paramsInvalid("page.sort");
      direction = suffix === "-1" ? -1 : 1;
      field = item.slice(0, colon).trim();
    }
    if (field.startsWith("-")) {
      direction = -1;
      field = field.slice(1);
    } else if (field.startsWith("+")) field = field.slice(1);
    if (!FIELD_NAME.test(field)) throw bkErrors.paramsInvalid("page.sort");
    if (!known.has(field) && known === PROCESS_KNOWN_FIELDS) {
      // User-defined attributes are legitimate sort keys (C-18): read cc_ObjAttDes only when needed.
      const declared = await store.processAttributes();
      known = new Set([...PROCESS_KNOWN_FIELDS, ...declared.map((a) => String(a.bk_property_id))]);
    }
    if (!known.has(field)) throw bkErrors.paramsInvalid("page.sort");
    sort.push([field, direction]);
  }
  if (sort.length === 0) sort.push(["bk_process_id", 1]);
  // C-19: a total order, so skip/limit pages neither repeat nor drop rows.
  if (!sort.some(([field]) => field === "bk_process_id")) sort.push(["bk_process_id", 1]);
  return sort;
}

/**
 * Validates a request in the order of spec B.3 and reports the first failure as a CmdbApiError.
 * `body` is the snake_case request body (REST) or its mapping from GraphQL arguments.
 */
export async function parseRelatedInfoRequest(store: CmdbStore, rawBizId: unknown, rawBody: unknown): Promise<RelatedInfoQuery> {
  const bizId = parseBizId(rawBizId);

  // 2. decoding: value types, and a property filter that is neither a group nor an atom.
  if (given(rawBody) && !isObject(rawBody)) throw bkErrors.jsonUnmarshalFailed();
  const body = (rawBody ?? {}) as Record<string, unknown>;
  const lists = {} as Record<ListKey, unknown[]>;
  const duplicates: string[] = [];
  const containers = new Map<string, Record<string, unknown> | undefined>();
  for (const container of ["set", "module", "service_instance", "process"]) containers.set(container, decodeContainer(body, container));
  for (const list of LISTS) {
    const nested = containers.get(list.container)?.[list.key];
    const flat = body[list.flat];
    const nestedValues = decodeList(nested, list.type);
    const flatValues = decodeList(flat, list.type);
    if (given(nested) && given(flat)) duplicates.push(list.flat);
    lists[list.flat] = given(nested) ? nestedValues : flatValues;
  }
  const rawFilter = body.process_property_filter;
  // Too deep is step 4's fault, found before the (recursive) parser reads the filter.
  const tooDeep = given(rawFilter) && exceedsMaxDepth(rawFilter);
  const propertyFilter = given(rawFilter) && !tooDeep ? parseRule(rawFilter) : undefined;
  const fields = decodeList(body.fields, "string") as string[];
  const page = decodeContainer(body, "page");
  const start = decodeOptional<number>(page?.start, Number.isSafeInteger);
  const limit = decodeOptional<number>(page?.limit, Number.isSafeInteger);
  const sortText = decodeOptional<string>(page?.sort, (v) => typeof v === "string");

  // 3. a key given both flat and nested (C-10).
  if (duplicates.length > 0) throw bkErrors.paramsInvalid(duplicates[0]);
  // 4. the property filter (C-7, C-8), its regexes last (docs/cmdb.md, "Deviations").
  if (tooDeep) throw tooDeepError();
  if (propertyFilter) {
    validateFilter(propertyFilter);
    await checkFilterRegexes(propertyFilter, store.deadline);
  }
  // 5. names and function IDs are mutually exclusive (C-12).
  if (lists.bk_process_names.length > 0 && lists.bk_func_ids.length > 0) throw bkErrors.paramsInvalid("bk_process_names, bk_func_ids");
  // 6. projection names (C-20).
  if (fields.some((field) => !FIELD_NAME.test(field))) throw bkErrors.paramsInvalid("fields");
  // 7-8. paging (C-14, C-15).
  if (!page || limit === undefined || limit < 1 || limit > MAX_PAGE_LIMIT) throw bkErrors.paramsInvalid("page.limit");
  if (start !== undefined && start < 0) throw bkErrors.paramsInvalid("page.start");
  // 9. sorting (C-16, C-17, C-19).
  const sort = await parseSort(store, sortText);

  return {
    bizId,
    setIds: lists.bk_set_ids as number[],
    moduleIds: lists.bk_module_ids as number[],
    serviceInstanceIds: lists.ids as number[],
    processNames: lists.bk_process_names as string[],
    funcIds: lists.bk_func_ids as string[],
    processIds: lists.bk_process_ids as number[],
    propertyFilter,
    fields,
    start: start ?? 0,
    limit,
    sort,
  };
}

/** The stored process fields the REST `process` object needs: `fields` as upstream (A.10). */
export function processProjectionForFields(fields: readonly string[]): Projection {
  if (fields.length === 0) return "all";
  const projection = new Set([...fields, ...MANDATORY_PROCESS_FIELDS]);
  if (projection.has("bk_created_at")) projection.add("create_time");
  if (projection.has("bk_updated_at")) projection.add("last_time");
  return projection;
}

/** Step B/C values: `ParseInt(fmt.Sprint(v))`, a failure leaves 0 (Q18). */
function toInt(value: unknown): number {
  const number = typeof value === "number" ? value : Number(String(value));
  return Number.isSafeInteger(number) ? number : 0;
}

const EMPTY: RelatedInfoResult = { count: 0, rows: [] };

/**
 * Steps A to E of the upstream algorithm (A.7, C-23..C-25): the page of processes, the total count
 * and each process's relation row. `processProjection` is what the caller will read of each process.
 */
export async function runRelatedInfo(store: CmdbStore, query: RelatedInfoQuery, processProjection: Projection): Promise<RelatedInfoResult> {
  try {
    return await runSteps(store, query, processProjection);
  } catch (error) {
    throw asApiError(error) ?? error;
  }
}

/** MongoDB's "Regular expression is invalid" (also SecantusDB's). */
const INVALID_REGEX = 51091;

/**
 * A CmdbApiError as is; an invalid regex as 1199006; a failed MongoDB read as upstream's 1199002 (the cause goes to the log, not
 * to the caller). A timeout or an outage stays as it is: GraphQL (`formatError`) and REST (503)
 * answer those in their own way.
 */
export function asApiError(error: unknown): CmdbApiError | undefined {
  if (error instanceof CmdbApiError) return error;
  // A regex of the filter that MongoDB's engine refuses though the check accepted it: the caller's input.
  if (error instanceof MongoServerError && error.code === INVALID_REGEX) return bkErrors.paramsInvalid(`invalid regular expression (${error.message}), process_property_filter`);
  if (error instanceof MongoError && !isTimeout(error) && !isMongoUnavailable(error)) return Object.assign(bkErrors.httpRequestFailed(), { cause: error });
  return undefined;
}

async function runSteps(store: CmdbStore, query: RelatedInfoQuery, processProjection: Projection): Promise<RelatedInfoResult> {
  const biz = query.bizId;
  // A business outside the caller's scope answers as one without processes, without a query.
  if (!store.allowsBusiness(biz)) return EMPTY;
  let moduleIds = query.moduleIds;

  // A. sets -> modules (scoped); the result replaces the module filter (set/module intersection).
  if (query.setIds.length > 0) {
    const keys: Filter<Document> = { bk_set_id: { $in: query.setIds } };
    if (moduleIds.length > 0) keys.bk_module_id = { $in: moduleIds };
    const filter = store.scoped(withKeysFirst(keys, { bk_biz_id: biz }));
    if (!filter) return EMPTY;
    const modules = await store.query((timeout) =>
      store.collection(CmdbCollection.module).find(filter, { projection: { _id: 0, bk_module_id: 1 }, batchSize: LOADER_BATCH_SIZE, ...timeout }).toArray(),
    );
    moduleIds = modules.map((m) => toInt(m.bk_module_id));
    if (moduleIds.length === 0) return EMPTY;
  }

  // B. service instances (distinct, unscoped) and C. their processes (distinct, unscoped).
  let processIdsOfInstances: number[] | undefined;
  if (query.serviceInstanceIds.length > 0 || moduleIds.length > 0) {
    const keys: Filter<Document> = {};
    if (query.serviceInstanceIds.length > 0) keys.id = { $in: query.serviceInstanceIds };
    if (moduleIds.length > 0) keys.bk_module_id = { $in: moduleIds };
    const instanceIds = (await store.query((timeout) => store.collection(CmdbCollection.serviceInstance).distinct("id", withKeysFirst(keys, { bk_biz_id: biz }), timeout))).map(toInt);
    if (instanceIds.length === 0) return EMPTY;
    const relationFilter = withKeysFirst({ service_instance_id: { $in: instanceIds } }, { bk_biz_id: biz });
    processIdsOfInstances = (await store.query((timeout) => store.collection(CmdbCollection.relation).distinct("bk_process_id", relationFilter, timeout))).map(toInt);
    if (processIdsOfInstances.length === 0) return EMPTY;
  }

  // D. the page of processes and the total count, on one filter (scoped).
  // {$and: [base, lists, propertyFilter]} (C-9), written as base plus `$and` of the others.
  const base = withKeysFirst(processIdsOfInstances ? { bk_process_id: { $in: processIdsOfInstances } } : {}, { bk_biz_id: biz });
  const extra: Filter<Document>[] = [];
  const lists: Filter<Document> = {};
  if (query.processNames.length > 0) lists.bk_process_name = { $in: query.processNames };
  if (query.funcIds.length > 0) lists.bk_func_id = { $in: query.funcIds };
  if (query.processIds.length > 0) lists.bk_process_id = { $in: query.processIds };
  if (Object.keys(lists).length > 0) extra.push(lists);
  if (query.propertyFilter) extra.push(ruleToMongo(query.propertyFilter));
  const filter = store.scoped(extra.length === 0 ? base : { ...base, $and: extra });
  if (!filter) return EMPTY;

  const projection = processProjection === "all" ? { _id: 0 as const } : toMongoProjection(new Set([...processProjection, "bk_process_id"]));
  const processes = store.collection(CmdbCollection.process);
  const [page, count] = await Promise.all([
    store.query((timeout) =>
      processes
        .find(filter, { projection, batchSize: query.limit, ...timeout })
        .sort(query.sort as Sort)
        .skip(query.start)
        .limit(query.limit)
        .toArray(),
    ),
    store.query((timeout) => processes.countDocuments(filter, timeout)),
  ]);
  // C-25: a page past the end still reports the true count.
  if (page.length === 0) return { count, rows: [] };
  const byId = store.byId("process");
  for (const process of page) byId.prime(process.bk_process_id as number, process, processProjection === "all" ? "all" : new Set([...processProjection, "bk_process_id"]));

  // E. relation rows of the page (unscoped); when a process has several, the last one wins (Q16).
  const relationFilter = withKeysFirst({ bk_process_id: { $in: page.map((p) => p.bk_process_id) } }, { bk_biz_id: biz });
  const relations = await store.query((timeout) =>
    store.collection(CmdbCollection.relation).find(relationFilter, { projection: { _id: 0 }, batchSize: LOADER_BATCH_SIZE, ...timeout }).toArray(),
  );
  const relationOf = new Map<number, Document>();
  for (const relation of relations) relationOf.set(toInt(relation.bk_process_id), relation);
  return { count, rows: page.map((process) => ({ process, relation: relationOf.get(toInt(process.bk_process_id)) ?? null })) };
}

const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);

/**
 * Steps F to I: the joins of one row, through the request's loaders so a page costs one query per
 * collection. Each returns null for a missing link (REST turns that into zero values, C-26).
 */
export const relatedJoins = {
  serviceInstance(store: CmdbStore, bizId: number, relation: Document | null, projection: Projection): Promise<Document | null> {
    const id = relation?.service_instance_id;
    return isId(id) ? store.ofBusiness("serviceInstance", bizId).load(id, projection) : Promise.resolve(null);
  },
  async module(store: CmdbStore, bizId: number, relation: Document | null, projection: Projection): Promise<Document | null> {
    const instance = await relatedJoins.serviceInstance(store, bizId, relation, new Set(["bk_module_id"]));
    const id = instance?.bk_module_id;
    return isId(id) ? store.ofBusiness("module", bizId).load(id, projection) : null;
  },
  async set(store: CmdbStore, bizId: number, relation: Document | null, projection: Projection): Promise<Document | null> {
    const module = await relatedJoins.module(store, bizId, relation, new Set(["bk_set_id"]));
    const id = module?.bk_set_id;
    return isId(id) ? store.ofBusiness("set", bizId).load(id, projection) : null;
  },
  host(store: CmdbStore, relation: Document | null, projection: Projection): Promise<Document | null> {
    const id = relation?.bk_host_id;
    return isId(id) ? store.byId("host").load(id, projection) : Promise.resolve(null);
  },
};

/** Go's encoding/json writes map keys sorted; dates come out as ISO 8601 UTC with ms (B.13 §6). */
export function toUpstreamJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toUpstreamJson);
  if (value && typeof value === "object") {
    if ("toHexString" in value && typeof (value as { toHexString: unknown }).toHexString === "function") return (value as { toHexString(): string }).toHexString();
    if ("toNumber" in value && typeof (value as { toNumber: unknown }).toNumber === "function") return (value as { toNumber(): number }).toNumber();
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) result[key] = toUpstreamJson((value as Record<string, unknown>)[key]);
    return result;
  }
  return value;
}

/**
 * The `process` object of an item (A.10, C-21, C-22): the stored document without `_id`, the
 * `bk_created_at`/`bk_updated_at` backfill, limited to `fields`, with the three mandatory keys.
 */
export function processObject(document: Document, fields: readonly string[]): Record<string, unknown> {
  const { _id: _ignored, ...stored } = document;
  const all = fields.length === 0;
  const wanted = new Set([...fields, ...MANDATORY_PROCESS_FIELDS]);
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (all || wanted.has(key) || fields.some((f) => f.startsWith(`${key}.`))) result[key] = value;
  }
  for (const [target, source] of [["bk_created_at", "create_time"], ["bk_updated_at", "last_time"]] as const) {
    if (all || wanted.has(target)) {
      if (result[target] === undefined || result[target] === null) result[target] = stored[source] ?? null;
    }
  }
  result.bk_process_name ??= "";
  result.bk_func_id ??= "";
  return toUpstreamJson(result) as Record<string, unknown>;
}
