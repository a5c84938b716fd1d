import { GraphQLJSON, GraphQLJSONObject, GraphQLSafeInt } from "graphql-scalars";
import { GraphQLISODateTime, ObjectType, type ClassType } from "type-graphql";
import { connectionType } from "../../graphql/connection";
import { StoredField } from "../../graphql/storedField";

/** bk-cmdb ids are Int64; SafeInt carries every id a JavaScript number holds exactly (< 2^53). */
export const SafeInt = GraphQLSafeInt;
export const JSON = GraphQLJSON;
export const JSONObject = GraphQLJSONObject;
export const DateTime = GraphQLISODateTime;

/** A page of a CMDB root list, in ascending key order (counts are SafeInt: bk-cmdb ids are Int64). */
export function cmdbConnection<T extends object>(name: string, node: ClassType<T>) {
  return connectionType(name, node, {
    namespace: "Cmdb",
    description: `A page of ${name} in ascending key order.`,
    totalCountType: SafeInt,
    totalCountDescription: "All nodes that match the filter (one count query, run only when selected).",
  });
}

/** The fields every bk-cmdb instance document carries; each CMDB type extends this. */
@ObjectType("CmdbStoredDocument", { description: "Fields common to bk-cmdb documents (not a type of its own in the schema)." })
export abstract class CmdbStoredDocument {
  @StoredField(() => String, { description: '`bk_supplier_account`, the owner ("0" by default; absent in v3.15 tenant databases).' })
  bk_supplier_account?: string;

  @StoredField(() => DateTime)
  create_time?: Date;

  @StoredField(() => DateTime)
  last_time?: Date;
}
