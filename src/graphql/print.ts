import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { lexicographicSortSchema, type GraphQLSchema } from "graphql";

const printed = new WeakMap<GraphQLSchema, string>();

/**
 * The checked-in `schema/schema.graphql` and the `_sdl` field: sorted (so the diff of a change
 * shows only the change), with directives (the stitching merge points). Printed once per schema.
 */
export function printSchemaFile(schema: GraphQLSchema): string {
  let text = printed.get(schema);
  if (text === undefined) {
    text = `${printSchemaWithDirectives(lexicographicSortSchema(schema))}\n`;
    printed.set(schema, text);
  }
  return text;
}
