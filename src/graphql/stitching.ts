import { stitchingDirectives } from "@graphql-tools/stitching-directives";
import { Directive, type ClassType } from "type-graphql";

/**
 * Schema stitching readiness (docs/portal.md). The by-keys root fields (`cmdbHosts(ids)`,
 * `paasApps(codes)`, …) answer in key order with null for a miss: they are the merge points a
 * gateway batches against, declared with the `@graphql-tools/stitching-directives` vocabulary.
 * The same declarations drive the Apollo Federation subgraph (`src/portal/federation.ts`): one place says
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
