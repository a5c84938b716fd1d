import type { Projection } from "../../graphql/projection";
import { isCmdbId, type CmdbStoredDoc, type HostDoc, type RelationDoc } from "../collections";
import type { RelatedInfoJoins } from "../providers/relatedInfo";

/**
 * list_process_related_info's items in upstream's JSON (docs/cmdb.md, "Projection" and "Links and
 * zero values"): Go's key order, `HostMapStr` host values, zero values for missing links.
 */

export const MANDATORY_PROCESS_FIELDS = ["bk_process_id", "bk_process_name", "bk_func_id"] as const;

/** The stored process fields the REST `process` object needs for `fields` (docs/cmdb.md, "Projection"). */
export function processProjectionForFields(fields: readonly string[]): Projection {
  if (fields.length === 0) return "all";
  const projection = new Set([...fields, ...MANDATORY_PROCESS_FIELDS]);
  if (projection.has("bk_created_at")) projection.add("create_time");
  if (projection.has("bk_updated_at")) projection.add("last_time");
  return projection;
}

/** Go's encoding/json writes map keys sorted; dates come out as ISO 8601 UTC with ms (docs/cmdb.md, "Links and zero values"). */
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
 * The `process` object of an item (docs/cmdb.md, "Projection"): the stored document without `_id`,
 * the `bk_created_at`/`bk_updated_at` backfill, limited to `fields`, with the three mandatory keys.
 */
export function processObject(document: CmdbStoredDoc, fields: readonly string[]): Record<string, unknown> {
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

const text = (value: unknown): string => (typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));
const int = (value: unknown): number => (isCmdbId(value) ? value : 0);
/** `HostMapStr`: array IP fields joined with "," (no spaces), null or missing "". */
const ipText = (value: unknown): string => (Array.isArray(value) ? value.map(text).join(",") : text(value));

/** The stored fields each join of a REST item reads. */
export const REST_JOIN_PROJECTIONS: Record<keyof RelatedInfoJoins, Projection> = {
  serviceInstance: new Set(["id", "name", "bk_module_id"]),
  module: new Set(["bk_module_id", "bk_module_name", "bk_set_id", "default"]),
  set: new Set(["bk_set_id", "bk_set_name", "bk_set_env", "default"]),
  host: new Set(["bk_host_id", "bk_cloud_id", "bk_host_innerip", "bk_host_innerip_v6", "bk_addressing", "bk_agent_id"]),
};

/** Step J for REST: one item, every missing link a zero-valued object, never null. */
export function relatedInfoItem(process: CmdbStoredDoc, relation: RelationDoc | null, joins: RelatedInfoJoins, fields: readonly string[]): Record<string, unknown> {
  const { set, module, serviceInstance } = joins;
  return {
    set: { bk_set_id: int(set?.bk_set_id), bk_set_name: text(set?.bk_set_name), bk_set_env: text(set?.bk_set_env) },
    module: { bk_module_id: int(module?.bk_module_id), bk_module_name: text(module?.bk_module_name) },
    host: hostObject(joins.host),
    service_instance: { id: int(serviceInstance?.id), name: text(serviceInstance?.name) },
    process_template: { id: int(relation?.process_template_id) },
    process: processObject(process, fields),
  };
}

/** The six host fields; a missing or non-numeric `bk_cloud_id` is 0. */
function hostObject(host: HostDoc | null): Record<string, unknown> {
  return {
    bk_host_id: int(host?.bk_host_id),
    bk_cloud_id: int(host?.bk_cloud_id),
    bk_host_innerip: ipText(host?.bk_host_innerip),
    bk_host_innerip_v6: ipText(host?.bk_host_innerip_v6),
    bk_addressing: text(host?.bk_addressing),
    bk_agent_id: text(host?.bk_agent_id),
  };
}
