import { getNamedType, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema } from "graphql";

/**
 * The merge points declared with `MergePoint` (src/graphql/stitching.ts), read back from a built
 * schema: the Apollo Federation subgraph (`federation.ts`) is made from them (docs/portal.md).
 */
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
