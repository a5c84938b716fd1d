import { GraphQLJSON, GraphQLJSONObject, GraphQLSafeInt } from "graphql-scalars";
import { Field, GraphQLISODateTime, ObjectType, type ClassType } from "type-graphql";
import type { ReturnTypeFunc } from "type-graphql/build/typings/decorators/types";
import { MongoFields } from "../../graphql/projection";

/** bk-cmdb ids are Int64; SafeInt carries every id a JavaScript number holds exactly (< 2^53). */
export const SafeInt = GraphQLSafeInt;
export const JSON = GraphQLJSON;
export const JSONObject = GraphQLJSONObject;
export const DateTime = GraphQLISODateTime;

/** `bk_host_innerip_v6` → `bkHostInneripV6`. */
export function camelCase(stored: string): string {
  return stored.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A field read straight from the stored document: the class property is the stored (snake_case)
 * name, the GraphQL name its camelCase form (or `name`), and the projection of the field is the stored name.
 */
export function StoredField(type: ReturnTypeFunc, options: { nullable?: boolean; description?: string; name?: string } = {}): PropertyDecorator {
  return (target, propertyKey) => {
    const stored = String(propertyKey);
    const name = options.name ?? camelCase(stored);
    Field(type, { nullable: options.nullable ?? true, description: options.description ?? `Stored \`${stored}\`.`, name })(target, propertyKey);
    MongoFields([stored])(target, propertyKey);
  };
}

@ObjectType("CmdbPageInfo", { description: "Where a page of a CMDB list ends." })
export class CmdbPageInfo {
  @Field({ description: "Whether a page follows this one." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` to read the next page; null on an empty page." })
  endCursor!: string | null;
}

export interface ConnectionValue<T> {
  nodes: T[];
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: CmdbPageInfo;
  totalCount: Promise<number>;
}

/** A cursor-paginated list of `node` (`…Connection`, `…Edge`), ordered by the node's unique key. */
export function connectionType<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field({ description: "Opaque position of this node; pass as `after`." })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} in ascending key order.` })
  class Connection {
    @Field(() => [node], { description: "The nodes of this page." })
    nodes!: T[];

    @Field(() => [Edge], { description: "The nodes of this page with their cursors." })
    edges!: Edge[];

    @Field(() => CmdbPageInfo)
    pageInfo!: CmdbPageInfo;

    @Field(() => SafeInt, { description: "All nodes that match the filter (one count query, run only when selected)." })
    totalCount!: number;
  }
  return Connection;
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
