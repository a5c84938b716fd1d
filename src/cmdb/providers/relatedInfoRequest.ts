import { PROCESS_KNOWN_FIELDS, type AttributeDoc } from "../collections";
import { bkErrors } from "./errors";
import { checkFilterRegexes, exceedsMaxDepth, parseRule, tooDeepError, validateFilter, type Rule } from "./propertyFilter";

/**
 * A list_process_related_info request, parsed and validated once for the native and ESB endpoints
 * and `cmdbProcessRelatedInfo` (docs/cmdb.md, "Request body" and "Validation order").
 */

/** A validated request. Lists are empty when absent, `null` or `[]` ("any": docs/cmdb.md, "Filters"). */
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

/** What validation reads besides the body: the declared process attributes (sort keys) and the deadline of the regex check. */
export interface RelatedInfoValidationSource {
  processAttributes(): Promise<AttributeDoc[]>;
  readonly deadline: number;
}

export const MAX_PAGE_LIMIT = 500;
const FIELD_NAME = /^[a-zA-Z0-9][\w\-.]*$/;
const INTEGER_TEXT = /^[+-]?\d+$/;

/** The six lists: flat key, nested container, nested key, element type (docs/cmdb.md, "Request body"). */
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

/** "Given": present and not `null` (`[]` counts as given). */
const given = (value: unknown) => value !== undefined && value !== null;

/** `bk_biz_id` from the native path (text) or the ESB body (a JSON number): 1199011 otherwise (docs/cmdb.md, "Envelopes"). */
export function parseBizId(raw: unknown): number {
  const value = typeof raw === "string" && INTEGER_TEXT.test(raw) ? Number(raw) : typeof raw === "number" ? raw : NaN;
  if (!Number.isSafeInteger(value)) throw bkErrors.paramsIsInvalid("bk_biz_id");
  return value;
}

/** Check 2: the value types json-iterator would refuse to decode (1199000). */
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

/** Check 9: upstream's sort grammar over the known process attributes, `bk_process_id` last (docs/cmdb.md, "Sorting"). */
async function parseSort(source: RelatedInfoValidationSource, raw: string | undefined): Promise<Array<[string, 1 | -1]>> {
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
      // User-defined attributes are legitimate sort keys: read cc_ObjAttDes only when needed.
      const declared = await source.processAttributes();
      known = new Set([...PROCESS_KNOWN_FIELDS, ...declared.map((a) => String(a.bk_property_id))]);
    }
    if (!known.has(field)) throw bkErrors.paramsInvalid("page.sort");
    sort.push([field, direction]);
  }
  if (sort.length === 0) sort.push(["bk_process_id", 1]);
  // A total order, so skip/limit pages neither repeat nor drop rows.
  if (!sort.some(([field]) => field === "bk_process_id")) sort.push(["bk_process_id", 1]);
  return sort;
}

/**
 * Validates a request in the documented order (docs/cmdb.md, "Validation order") and reports the
 * first failure as a CmdbApiError. `body` is the snake_case request body (REST) or its mapping from
 * GraphQL arguments.
 */
export async function parseRelatedInfoRequest(source: RelatedInfoValidationSource, rawBizId: unknown, rawBody: unknown): Promise<RelatedInfoQuery> {
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
  // Too deep is check 4's fault, found before the (recursive) parser reads the filter.
  const tooDeep = given(rawFilter) && exceedsMaxDepth(rawFilter);
  const propertyFilter = given(rawFilter) && !tooDeep ? parseRule(rawFilter) : undefined;
  const fields = decodeList(body.fields, "string") as string[];
  const page = decodeContainer(body, "page");
  const start = decodeOptional<number>(page?.start, Number.isSafeInteger);
  const limit = decodeOptional<number>(page?.limit, Number.isSafeInteger);
  const sortText = decodeOptional<string>(page?.sort, (v) => typeof v === "string");

  // 3. a key given both flat and nested.
  if (duplicates.length > 0) throw bkErrors.paramsInvalid(duplicates[0]);
  // 4. the property filter (docs/cmdb.md, "Filters"), its regexes last ("Regular expressions in the property filter").
  if (tooDeep) throw tooDeepError();
  if (propertyFilter) {
    validateFilter(propertyFilter);
    await checkFilterRegexes(propertyFilter, source.deadline);
  }
  // 5. names and function IDs are mutually exclusive.
  if (lists.bk_process_names.length > 0 && lists.bk_func_ids.length > 0) throw bkErrors.paramsInvalid("bk_process_names, bk_func_ids");
  // 6. projection names (docs/cmdb.md, "Projection").
  if (fields.some((field) => !FIELD_NAME.test(field))) throw bkErrors.paramsInvalid("fields");
  // 7-8. paging (docs/cmdb.md, "Paging and count").
  if (!page || limit === undefined || limit < 1 || limit > MAX_PAGE_LIMIT) throw bkErrors.paramsInvalid("page.limit");
  if (start !== undefined && start < 0) throw bkErrors.paramsInvalid("page.start");
  // 9. sorting (docs/cmdb.md, "Sorting").
  const sort = await parseSort(source, sortText);

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
