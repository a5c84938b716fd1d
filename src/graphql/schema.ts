import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema, type NonEmptyArray } from "type-graphql";
import { modules } from "../modules";
import type { ResolverClass } from "../modules/types";
import { STITCHING_DIRECTIVES } from "./stitching";
import { buildWithDirectResolvers } from "./directResolvers";

export { printSchemaFile } from "./print";

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from every domain module's resolvers. */
export function getSchema(): Promise<GraphQLSchema> {
  // Built without type-graphql's per-field wrappers where they would do nothing: see directResolvers.ts.
  built ??= buildWithDirectResolvers(() => buildSchema({
    resolvers: modules.flatMap((m) => m.resolvers) as NonEmptyArray<ResolverClass>,
    orphanedTypes: modules.flatMap((m) => m.orphanedTypes ?? []),
    // The definitions of @key / @merge, so the printed schema is valid stitching SDL on its own.
    directives: STITCHING_DIRECTIVES,
    validate: false,
    // Subscriptions bring their own event sources (src/live); type-graphql still asks for a PubSub.
    pubSub: { publish: () => undefined, subscribe: () => { throw new Error("no PubSub: subscriptions use src/live"); } },
  }));
  return built;
}
