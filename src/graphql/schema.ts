import "reflect-metadata";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { lexicographicSortSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type NonEmptyArray } from "type-graphql";
import { modules } from "../modules";
import type { ResolverClass } from "../modules/types";

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from every domain module's resolvers. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: modules.flatMap((m) => m.resolvers) as NonEmptyArray<ResolverClass>,
    orphanedTypes: modules.flatMap((m) => m.orphanedTypes ?? []),
    validate: false,
  });
  return built;
}

/** The checked-in `schema/schema.graphql`: sorted, so the diff of a change shows only the change. */
export function printSchemaFile(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(schema))}\n`;
}
