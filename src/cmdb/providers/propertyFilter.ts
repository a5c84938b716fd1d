import type { Document } from "mongodb";
import { bkErrors } from "./errors";

/**
 * bk-cmdb's querybuilder (src/common/querybuilder): the `process_property_filter` rule tree, its
 * parser (malformed: 1199000), its validation (invalid: 1199006) and its MongoDB mapping. Only the
 * fixed operator table produces MongoDB operators; values are basic types or arrays of them, and
 * field names cannot start with `$` (spec C-7, C-8).
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
const VALID_FIELD = /^[a-zA-Z0-9][\d\w\-_.]*$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const IPV6_FIELDS = new Set(["bk_host_innerip_v6", "bk_host_outerip_v6"]);

type ValueKind = "numeric" | "boolean" | "string" | "unknown";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the JSON value of `process_property_filter` (querybuilder's UnmarshalJSON); throws 1199000. */
export function parseRule(raw: unknown): Rule {
  if (!isPlainObject(raw)) throw bkErrors.jsonUnmarshalFailed();
  if ("condition" in raw) {
    const { condition, rules } = raw;
    if (typeof condition !== "string") throw bkErrors.jsonUnmarshalFailed();
    if (rules !== undefined && rules !== null && !Array.isArray(rules)) throw bkErrors.jsonUnmarshalFailed();
    return { kind: "combined", condition, rules: (rules ?? []).map(parseRule) };
  }
  if ("field" in raw) {
    const { field, operator } = raw;
    if (typeof field !== "string" || (operator !== undefined && operator !== null && typeof operator !== "string")) throw bkErrors.jsonUnmarshalFailed();
    return { kind: "atom", field, operator: (operator as string | null | undefined) ?? "", value: raw.value ?? null };
  }
  // "no query filter found"
  throw bkErrors.jsonUnmarshalFailed();
}

export function ruleDepth(rule: Rule): number {
  if (rule.kind === "atom") return 1;
  return 1 + Math.max(1, ...rule.rules.map(ruleDepth));
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
  for (const [index, child] of rule.rules.entries()) {
    const fault = validateRule(child);
    if (fault) return [`rules[${index}].${fault[0]}`, fault[1]];
  }
  return undefined;
}

/**
 * `QueryFilter.Validate` for this API: depth ≤ 3, a combined rule at the top, then the rules.
 * Throws 1199006 naming `process_property_filter.<key>` (B.13: the upstream typo is fixed).
 */
export function validateFilter(rule: Rule): void {
  let fault: [string, string] | undefined;
  if (ruleDepth(rule) > MAX_DEEP) fault = ["rules", `exceed max query condition deepth: ${MAX_DEEP}`];
  else if (rule.kind !== "combined") fault = ["", "query filter must be combined rules"];
  else fault = validateRule(rule);
  if (fault) {
    const [key, message] = fault;
    throw bkErrors.paramsInvalid(`${message}, process_property_filter${key ? `.${key}` : ""}`);
  }
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

/** The MongoDB filter of a validated rule (`ToMgo`, A.5 mapping table). */
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
        return { $regex: `^${value as string}` };
      case "not_begins_with":
        return { $not: { $regex: `^${value as string}` } };
      case "contains":
        return { $regex: value as string, $options: "i" };
      case "not_contains":
        return { $not: { $regex: value as string } };
      case "ends_with":
        return { $regex: `${value as string}$` };
      case "not_ends_with":
        return { $not: { $regex: `${value as string}$` } };
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
