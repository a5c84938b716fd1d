import "reflect-metadata";
import { specifiedDirectives, type GraphQLSchema } from "graphql";
import { buildSchema, type NonEmptyArray } from "type-graphql";
import type { DomainModule, ResolverClass } from "../modules/types";
import { STITCHING_DIRECTIVES } from "./stitching";
import { buildWithDirectResolvers } from "./directResolvers";

export { printSchemaFile } from "./print";

const built = new WeakMap<readonly DomainModule[], Promise<GraphQLSchema>>();

/**
 * The executable schema of a module list (the composition root's, `src/modules/index.ts`), built
 * once per process and list from the modules' resolvers.
 */
export function getSchema(modules: readonly DomainModule[]): Promise<GraphQLSchema> {
  let schema = built.get(modules);
  if (schema) return schema;
  // Built without type-graphql's per-field wrappers where they would do nothing: see directResolvers.ts.
  schema = buildWithDirectResolvers(() => buildSchema({
    resolvers: modules.flatMap((m) => m.resolvers) as NonEmptyArray<ResolverClass>,
    orphanedTypes: modules.flatMap((m) => m.orphanedTypes ?? []),
    // The definitions of @key / @merge, so the printed schema is valid stitching SDL on its own. The
    // list replaces graphql-js's own: without them @skip, @include, @deprecated and @specifiedBy are unknown.
    directives: [...specifiedDirectives, ...STITCHING_DIRECTIVES],
    validate: false,
    // Subscriptions bring their own event sources (src/live); type-graphql still asks for a PubSub.
    pubSub: { publish: () => undefined, subscribe: () => { throw new Error("no PubSub: subscriptions use src/live"); } },
  }));
  built.set(modules, schema);
  return schema;
}
