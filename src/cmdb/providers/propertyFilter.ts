import type { Document } from "mongodb";
import { checkUserRegexes } from "../../db/userRegex";
import { bkErrors } from "./errors";

/**
 * bk-cmdb's querybuilder (src/common/querybuilder): the `process_property_filter` rule tree, its
 * parser (malformed: 1199000), its validation (invalid: 1199006) and its MongoDB mapping. Only the
 * fixed operator table produces MongoDB operators; values are basic types or arrays of them, and
 * field names cannot start with `$` (docs/cmdb.md, "Filters").
 *
 * Beyond upstream (docs/cmdb.md, "Deviations from upstream bk-cmdb"), so that one request cannot stall the database or
 * the server: a group holds at most MAX_GROUP_RULES rules, a regex value at most MAX_REGEX_LENGTH
 * characters, a regex that can backtrack catastrophically is refused before it reaches MongoDB,
 * and the depth is checked before anything else reads the filter (`exceedsMaxDepth`).
 */
export type Rule = CombinedRule | AtomRule;

export interface CombinedRule {
  kind: "combined";
  condition: string;
  rules: Rule[];
}

export interface AtomRule {
  kind: "atom";
  field: string;
  operator: string;
  value: unknown;
}

export const MAX_DEEP = 3;
/** Rules of one AND or OR group: upstream querybuilder's DefaultMaxConditionOrRulesCount. */
export const MAX_GROUP_RULES = 20;
/** Characters of a value of the regex operators (`contains`, `begins_with`, ...). */
export const MAX_REGEX_LENGTH = 256;
const VALID_FIELD = /^[a-zA-Z0-9][\d\w\-_.]*$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const IPV6_FIELDS = new Set(["bk_host_innerip_v6", "bk_host_outerip_v6"]);

type ValueKind = "numeric" | "boolean" | "string" | "unknown";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether a raw (undecoded) filter nests deeper than MAX_DEEP. Without recursion, and never looking
 * below that depth: a filter nested thousands of levels would overflow the stack of the recursive
 * parser and validator. The shape rule is the parser's: an object with `condition` is a group, the
 * elements of its `rules` array its children; a group at level L makes the depth at least L + 1.
 */
export function exceedsMaxDepth(raw: unknown): boolean {
  let level: unknown[] = [raw];
  for (let depth = 1; level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (!isPlainObject(node) || !("condition" in node)) continue;
      if (depth + 1 > MAX_DEEP) return true;
      if (Array.isArray(node.rules)) for (const child of node.rules) next.push(child);
    }
    level = next;
  }
  return false;
}

/** The 1199006 of a filter too deep (as `validateFilter` reports it). */
export function tooDeepError(): Error {
  return invalidFilter("rules", `exceed max query condition deepth: ${MAX_DEEP}`);
}

function invalidFilter(key: string, message: string): Error {
  return bkErrors.paramsInvalid(`${message}, process_property_filter${key ? `.${key}` : ""}`);
}

/**
 * Parses the JSON value of `process_property_filter` (querybuilder's ParseRule); throws 1199000.
 * As upstream's decoder: an object with `condition` is a group, else one with `operator` a rule,
 * else "no query filter found" (a rule without `field` decodes, and fails validation). Call only on
 * a filter `exceedsMaxDepth` accepted.
 */
export function parseRule(raw: unknown): Rule {
  if (!isPlainObject(raw)) throw bkErrors.jsonUnmarshalFailed();
  if ("condition" in raw) {
    const { condition, rules } = raw;
    if (typeof condition !== "string") throw bkErrors.jsonUnmarshalFailed();
    if (rules !== undefined && rules !== null && !Array.isArray(rules)) throw bkErrors.jsonUnmarshalFailed();
    return { kind: "combined", condition, rules: (rules ?? []).map(parseRule) };
  }
  if ("operator" in raw) {
    const { field, operator } = raw;
    const absent = (value: unknown) => value === undefined || value === null;
    if ((!absent(field) && typeof field !== "string") || (!absent(operator) && typeof operator !== "string")) throw bkErrors.jsonUnmarshalFailed();
    return { kind: "atom", field: (field as string | null | undefined) ?? "", operator: (operator as string | null | undefined) ?? "", value: raw.value ?? null };
  }
  // "no query filter found"
  throw bkErrors.jsonUnmarshalFailed();
}

/** The depth of a parsed rule (at most MAX_DEEP + 1 deep: see `exceedsMaxDepth`); no spread, as a group may hold many rules. */
export function ruleDepth(rule: Rule): number {
  if (rule.kind === "atom") return 1;
  let deepest = 1;
  for (const child of rule.rules) deepest = Math.max(deepest, ruleDepth(child));
  return 1 + deepest;
}

/** Go's `%+v` for the JSON values a filter can carry, for upstream-like messages. */
function goFormat(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goFormat).join(" ")}]`;
  if (isPlainObject(value)) return `map[${Object.keys(value).sort().map((k) => `${k}:${goFormat(value[k])}`).join(" ")}]`;
  return String(value);
}

function kindOf(value: unknown): ValueKind {
  if (typeof value === "number") return "numeric";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  return "unknown";
}

function goKind(value: unknown): string {
  if (value === null || value === undefined) return "invalid";
  if (Array.isArray(value)) return "slice";
  if (isPlainObject(value)) return "map";
  if (typeof value === "number") return "float64";
  if (typeof value === "boolean") return "bool";
  return "string";
}

const OPERATORS = new Set([
  "equal",
  "not_equal",
  "in",
  "not_in",
  "less",
  "less_or_equal",
  "greater",
  "greater_or_equal",
  "datetime_less",
  "datetime_less_or_equal",
  "datetime_greater",
  "datetime_greater_or_equal",
  "begins_with",
  "not_begins_with",
  "contains",
  "not_contains",
  "ends_with",
  "not_ends_with",
  "is_empty",
  "is_not_empty",
  "is_null",
  "is_not_null",
  "exist",
  "not_exist",
]);

function validateValue(operator: string, value: unknown): string | undefined {
  switch (operator) {
    case "equal":
    case "not_equal":
      return kindOf(value) === "unknown" ? `unknow value type with value: ${goFormat(value)}` : undefined;
    case "in":
    case "not_in": {
      if (!Array.isArray(value)) return `unexpected value type: ${goKind(value)}, expect array`;
      for (const item of value) if (kindOf(item) === "unknown") return `unknow value type with value: ${goFormat(item)}`;
      const kinds = [...new Set(value.map(kindOf))];
      return kinds.length > 1 ? `slice element type not unique, types: [${kinds.join(" ")}]` : undefined;
    }
    case "less":
    case "less_or_equal":
    case "greater":
    case "greater_or_equal":
      return kindOf(value) === "numeric" ? undefined : `unknow value type: ${kindOf(value)}, value: ${goFormat(value)}`;
    case "datetime_less":
    case "datetime_less_or_equal":
    case "datetime_greater":
    case "datetime_greater_or_equal":
      if (typeof value !== "string") return `unknow value type of: ${kindOf(value)}, value: ${goFormat(value)}`;
      return DATE_ONLY.test(value) || (RFC3339.test(value) && !Number.isNaN(Date.parse(value))) ? undefined : `parsing time "${value}": cannot parse as a date`;
    case "begins_with":
    case "not_begins_with":
    case "contains":
    case "not_contains":
    case "ends_with":
    case "not_ends_with":
      if (typeof value !== "string") return `unknow value type of: ${kindOf(value)}, value: ${goFormat(value)}`;
      if (value.length > MAX_REGEX_LENGTH) return `regular expression longer than ${MAX_REGEX_LENGTH} characters`;
      return value.length === 0 ? "value shouldn't be empty" : undefined;
    default:
      return undefined;
  }
}

/** Validates one rule; returns `[key, error]` of the first fault (querybuilder's `Validate`). */
function validateRule(rule: Rule): [string, string] | undefined {
  if (rule.kind === "atom") {
    if (!OPERATORS.has(rule.operator)) return ["operator", `unsupported operator: ${rule.operator}`];
    if (!VALID_FIELD.test(rule.field)) return ["field", `invalid field: ${rule.field}`];
    const valueError = validateValue(rule.operator, rule.value);
    return valueError ? ["value", valueError] : undefined;
  }
  if (rule.condition !== "AND" && rule.condition !== "OR") return ["condition", `unexpected condition: ${rule.condition}`];
  if (rule.rules.length === 0) return ["rules", "combined rules shouldn't be empty"];
  if (rule.rules.length > MAX_GROUP_RULES) return ["rules", `too many rules of ${rule.condition} condition: ${rule.rules.length} max(${MAX_GROUP_RULES})`];
  for (const [index, child] of rule.rules.entries()) {
    const fault = validateRule(child);
    if (fault) return [`rules[${index}].${fault[0]}`, fault[1]];
  }
  return undefined;
}

/**
 * `QueryFilter.Validate` for this API: depth ≤ 3, a combined rule at the top, then the rules.
 * Throws 1199006 naming `process_property_filter.<key>` (upstream's `host_property_filter` typo fixed: docs/cmdb.md, "Deviations from upstream bk-cmdb").
 */
export function validateFilter(rule: Rule): void {
  let fault: [string, string] | undefined;
  if (ruleDepth(rule) > MAX_DEEP) fault = ["rules", `exceed max query condition deepth: ${MAX_DEEP}`];
  else if (rule.kind !== "combined") fault = ["", "query filter must be combined rules"];
  else fault = validateRule(rule);
  if (fault) throw invalidFilter(...fault);
}

/**
 * The regex operators (docs/cmdb.md, "Request body"): the regex sent for a value (not escaped, as upstream),
 * its flags, and whether the condition is negated (`$not`). The check and the query both read it.
 */
const REGEX_OF = new Map<string, (value: string) => { source: string; flags: string; negated: boolean }>([
  ["begins_with", (v) => ({ source: `^${v}`, flags: "", negated: false })],
  ["not_begins_with", (v) => ({ source: `^${v}`, flags: "", negated: true })],
  ["contains", (v) => ({ source: v, flags: "i", negated: false })],
  ["not_contains", (v) => ({ source: v, flags: "", negated: true })],
  ["ends_with", (v) => ({ source: `${v}$`, flags: "", negated: false })],
  ["not_ends_with", (v) => ({ source: `${v}$`, flags: "", negated: true })],
]);

function regexCondition(operator: string, value: string): Document {
  const { source, flags, negated } = REGEX_OF.get(operator)!(value);
  const regex = flags ? { $regex: source, $options: flags } : { $regex: source };
  return negated ? { $not: regex } : regex;
}

/**
 * Refuses (1199006, naming the rule's value) a validated filter whose regex values could stall
 * MongoDB's regex engine or are not regular expressions (`checkUserRegexes`), before any query.
 * Throws DeadlineExceededError when the request's deadline ends the check.
 */
export async function checkFilterRegexes(rule: Rule, deadline: number): Promise<void> {
  const found: Array<{ key: string; source: string; flags: string }> = [];
  const walk = (node: Rule, key: string) => {
    const regex = node.kind === "atom" ? REGEX_OF.get(node.operator) : undefined;
    if (node.kind === "combined") node.rules.forEach((child, index) => walk(child, `${key}rules[${index}].`));
    else if (regex) found.push({ key: `${key}value`, ...regex(node.value as string) });
  };
  walk(rule, "");
  if (found.length === 0) return;
  const verdicts = await checkUserRegexes(found, deadline);
  const refused = verdicts.findIndex((verdict) => verdict !== undefined);
  if (refused >= 0) throw invalidFilter(found[refused].key, verdicts[refused] as string);
}

/** Expands an IPv6 address to bk-cmdb's full 8-group form; other strings are returned as given. */
export function ipv6FullForm(value: string): string {
  if (!value.includes(":") || !/^[0-9A-Fa-f:.]+$/.test(value)) return value;
  const [head, tail, ...rest] = value.split("::");
  if (rest.length > 0) return value;
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail !== undefined && tail !== "" ? tail.split(":") : [];
  if (tail === undefined && headGroups.length !== 8) return value;
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || headGroups.concat(tailGroups).some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return value;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...tailGroups];
  return groups.map((g) => g.toLowerCase().padStart(4, "0")).join(":");
}

function datetimeValue(value: string): Date | string {
  return DATE_ONLY.test(value) ? value : new Date(value);
}

/** The MongoDB filter of a validated rule (querybuilder's `ToMgo`). */
export function ruleToMongo(rule: Rule): Document {
  if (rule.kind === "combined") return { [rule.condition === "OR" ? "$or" : "$and"]: rule.rules.map(ruleToMongo) };
  const { field, value } = rule;
  const ipv6 = IPV6_FIELDS.has(field);
  const condition = ((): Document => {
    switch (rule.operator) {
      case "equal":
        return { $eq: ipv6 && typeof value === "string" ? ipv6FullForm(value) : value };
      case "not_equal":
        return { $ne: value };
      case "in":
        return { $in: ipv6 ? (value as unknown[]).map((v) => (typeof v === "string" ? ipv6FullForm(v) : v)) : value };
      case "not_in":
        return { $nin: value };
      case "less":
        return { $lt: value };
      case "less_or_equal":
        return { $lte: value };
      case "greater":
        return { $gt: value };
      case "greater_or_equal":
        return { $gte: value };
      case "datetime_less":
        return { $lt: datetimeValue(value as string) };
      case "datetime_less_or_equal":
        return { $lte: datetimeValue(value as string) };
      case "datetime_greater":
        return { $gt: datetimeValue(value as string) };
      case "datetime_greater_or_equal":
        return { $gte: datetimeValue(value as string) };
      case "begins_with":
      case "not_begins_with":
      case "contains":
      case "not_contains":
      case "ends_with":
      case "not_ends_with":
        return regexCondition(rule.operator, value as string);
      case "is_empty":
        return { $eq: [] };
      case "is_not_empty":
        return { $ne: [] };
      case "is_null":
        return { $eq: null };
      case "is_not_null":
        return { $ne: null };
      case "exist":
        return { $exists: true };
      case "not_exist":
        return { $exists: false };
      default:
        throw new Error(`unvalidated operator ${rule.operator}`);
    }
  })();
  return { [field]: condition };
}
