import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import { Field, ID, InterfaceType } from "type-graphql";
import type { RequestContext } from "./context";
import type { LoaderKey } from "./loaders";
import { projectionFromInfo, type Projection } from "./projection";

/** Marks a document handed out as an interface value (Node, Process) with its concrete GraphQL type. */
export const NODE_TYPE = Symbol("procgraph.nodeType");

export type TypedDocument = Document & { [NODE_TYPE]?: string };

/** A copy of `document` that the Node and Process interfaces resolve to `typename`. */
export function asTyped(typename: string, document: Document): TypedDocument {
  return { ...document, [NODE_TYPE]: typename };
}

@InterfaceType("Node", {
  description: "Relay global object identification: every entity has an opaque global `id`; `node(id:)` and `nodes(ids:)` fetch any of them.",
  resolveType: (value: TypedDocument) => value[NODE_TYPE],
})
export abstract class Node {
  @Field(() => ID, { description: "Opaque global id (type and key); stable across requests. Pass to `node(id:)`." })
  id!: string;
}

/**
 * How `node`/`nodes` and the `id` field handle one entity type. A domain module lists its types in
 * `DomainModule.nodeTypes`; nothing else needs to know them.
 */
export interface NodeTypeSpec {
  /** The GraphQL object type (implements Node). */
  typename: string;
  /** The stored key of a document of this type (the key part of its global id). */
  keyOf(document: Document): string | number;
  /** The loader key for the key text of a global id, or undefined when it cannot be a key of this type. */
  parseKey(text: string): LoaderKey | undefined;
  /**
   * Documents by key through the request's loaders, in key order: null for a miss and for a key
   * outside the caller's access scope (the same answer). Keys loaded in one tick share one query.
   */
  load(ctx: RequestContext, keys: LoaderKey[], projection: Projection): Promise<Array<Document | null>>;
}

/** The projection documents of `typename` need for the selection of the current (interface-typed) field. */
export function projectionForType(info: GraphQLResolveInfo, typename: string, path: readonly string[] = []): Projection {
  return projectionFromInfo(info, { path, as: typename });
}
