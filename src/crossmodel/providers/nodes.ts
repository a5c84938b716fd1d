import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import { badUserInput } from "../../graphql/errors";
import { decodeGlobalId, encodeGlobalId } from "../../graphql/globalId";
import { loadByGroup, type LoaderKey } from "../../graphql/loaders";
import { asTyped, projectionForType, type NodeTypeSpec, type TypedDocument } from "../../graphql/node";
import { modules } from "../../modules";
import { MAX_IDS } from "../../cmdb/providers/graph";

/** `nodes(ids:)`: at most this many ids per call (the by-ids root fields' limit). */
export const MAX_NODE_IDS = MAX_IDS;

let registry: Map<string, NodeTypeSpec> | undefined;

/** Every domain's node types by typename (read lazily: the modules list imports this file's users). */
export function nodeTypes(): ReadonlyMap<string, NodeTypeSpec> {
  if (!registry) {
    registry = new Map();
    for (const spec of modules.flatMap((m) => m.nodeTypes ?? [])) {
      if (registry.has(spec.typename)) throw new Error(`node type ${spec.typename} is registered twice`);
      registry.set(spec.typename, spec);
    }
  }
  return registry;
}

/** The global id of a document of `typename`. */
export function globalIdOf(typename: string, document: Document): string {
  const spec = nodeTypes().get(typename);
  if (!spec) throw new Error(`${typename} is not a registered node type`);
  return encodeGlobalId(typename, spec.keyOf(document));
}

interface Target {
  spec: NodeTypeSpec;
  key: LoaderKey;
}

function target(id: unknown, argumentName: string): Target {
  const { typename, key } = decodeGlobalId(id, argumentName);
  const spec = nodeTypes().get(typename);
  const parsed = spec?.parseKey(key);
  // A foreign id (another system's, or a type that is not a node) reads as malformed: the same code.
  if (!spec || parsed === undefined) throw badUserInput(`${argumentName}: not a procgraph node id`, { argumentName });
  return { spec, key: parsed };
}

/**
 * `node` and `nodes`: ids are decoded and checked first (one bad id fails the call), then each
 * type's keys go to that type's loader in the same tick, so `nodes` costs one query per type.
 */
export async function loadNodes(ctx: RequestContext, ids: readonly unknown[], info: GraphQLResolveInfo, argumentName: string): Promise<Array<TypedDocument | null>> {
  if (ids.length > MAX_NODE_IDS) throw badUserInput(`${argumentName}: at most ${MAX_NODE_IDS} ids per call`, { argumentName });
  const targets = ids.map((id) => target(id, argumentName));
  const documents = await loadByGroup(
    targets,
    (target) => target.spec,
    (target) => target.key,
    (spec, keys) => spec.load(ctx, keys, projectionForType(info, spec.typename)),
  );
  return documents.map((document, i) => (document ? asTyped(targets[i].spec.typename, document) : null));
}
