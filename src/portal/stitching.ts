import { stitchingDirectives } from "@graphql-tools/stitching-directives";
import { getNamedType, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { Directive, type ClassType } from "type-graphql";

/**
 * Schema stitching readiness (docs/portal.md). The by-keys root fields (`cmdbHosts(ids)`,
 * `paasApps(codes)`, …) answer in key order with null for a miss: they are the merge points a
 * gateway batches against, declared with the `@graphql-tools/stitching-directives` vocabulary.
 * The same declarations drive the Apollo Federation subgraph (`federation.ts`): one place says
 * which types are entities, what their key is, and how many of them are read at once.
 */
const directives = stitchingDirectives();

export const STITCHING_DIRECTIVES = directives.allStitchingDirectives;
export const STITCHING_DIRECTIVE_NAMES: ReadonlySet<string> = new Set(STITCHING_DIRECTIVES.map((d) => d.name));

/**
 * Declares a by-keys root field as the merge point of `type`: `@merge(keyField:, keyArg:)` on the
 * field and `@key(selectionSet: "{ keyField }")` on the type. `keyField` is the GraphQL name of the
 * type's key field, `keyArg` the field's list argument of keys.
 */
export function MergePoint(type: ClassType, keyField: string, keyArg: string): MethodDecorator {
  Directive(`@key(selectionSet: "{ ${keyField} }")`)(type);
  return Directive(`@merge(keyField: "${keyField}", keyArg: "${keyArg}")`);
}

export interface MergePointField {
  /** The entity type (`CmdbHost`). */
  type: GraphQLObjectType;
  /** Its key field (`bkHostId`). */
  keyField: string;
  /** The root field that reads many by key (`cmdbHosts`). */
  field: GraphQLField<unknown, unknown>;
  /** Its list argument (`ids`) and the type of one key (`SafeInt!`). */
  keyArg: string;
  keyType: GraphQLInputType;
}

function directiveArgument(field: GraphQLField<unknown, unknown>, directive: string, argument: string): string | undefined {
  const node = field.astNode?.directives?.find((d) => d.name.value === directive);
  const value = node?.arguments?.find((a) => a.name.value === argument)?.value;
  return value?.kind === "StringValue" ? value.value : undefined;
}

/** The merge points of a schema, read back from its `@merge` directives, by type name. */
export function mergePoints(schema: GraphQLSchema): Map<string, MergePointField> {
  const points = new Map<string, MergePointField>();
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const keyField = directiveArgument(field, "merge", "keyField");
    const keyArg = directiveArgument(field, "merge", "keyArg");
    if (keyField === undefined || keyArg === undefined) continue;
    const type = getNamedType(field.type);
    const argType = field.args.find((a) => a.name === keyArg)?.type;
    const listType = argType && isNonNullType(argType) ? argType.ofType : argType;
    if (!isObjectType(type) || !listType || !isListType(listType)) throw new Error(`@merge on Query.${field.name}: needs an object type and a list argument ${keyArg}`);
    if (points.has(type.name)) throw new Error(`@merge: ${type.name} has two merge points`);
    points.set(type.name, { type, keyField, field, keyArg, keyType: listType.ofType as GraphQLInputType });
  }
  return points;
}
