import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import type { NodeLookup, RequestContext } from "./context";
import { badUserInput } from "./errors";
import { decodeGlobalId, encodeGlobalId } from "./globalId";
import { MAX_IDS_PER_CALL } from "./limits";
import { loadByGroup, type LoaderKey } from "./loaders";
import { asTyped, projectionForType, type NodeTypeSpec, type TypedDocument } from "./node";

interface Target {
  spec: NodeTypeSpec;
  key: LoaderKey;
}

/**
 * Every domain's node types by typename: what `node`/`nodes` and the `id` field read. The
 * composition root (src/server.ts) builds it from the module list and hands it to every request
 * (`AppDeps.nodes`), so no domain needs the list of domains.
 */
export class NodeRegistry implements NodeLookup {
  private readonly specs = new Map<string, NodeTypeSpec>();

  constructor(specs: Iterable<NodeTypeSpec>) {
    for (const spec of specs) {
      if (this.specs.has(spec.typename)) throw new Error(`node type ${spec.typename} is registered twice`);
      this.specs.set(spec.typename, spec);
    }
  }

  /** The global id of a document of `typename`. */
  globalIdOf(typename: string, document: Document): string {
    const spec = this.specs.get(typename);
    if (!spec) throw new Error(`${typename} is not a registered node type`);
    return encodeGlobalId(typename, spec.keyOf(document));
  }

  private target(id: unknown, argumentName: string): Target {
    const { typename, key } = decodeGlobalId(id, argumentName);
    const spec = this.specs.get(typename);
    const parsed = spec?.parseKey(key);
    // A foreign id (another system's, or a type that is not a node) reads as malformed: the same code.
    if (!spec || parsed === undefined) throw badUserInput(`${argumentName}: not a procgraph node id`, { argumentName });
    return { spec, key: parsed };
  }

  /**
   * `node` and `nodes`: ids are decoded and checked first (one bad id fails the call), then each
   * type's keys go to that type's loader in the same tick, so `nodes` costs one query per type.
   */
  async load(ctx: RequestContext, ids: readonly unknown[], info: GraphQLResolveInfo, argumentName: string): Promise<Array<TypedDocument | null>> {
    if (ids.length > MAX_IDS_PER_CALL) throw badUserInput(`${argumentName}: at most ${MAX_IDS_PER_CALL} ids per call`, { argumentName });
    const targets = ids.map((id) => this.target(id, argumentName));
    const documents = await loadByGroup(
      targets,
      (target) => target.spec,
      (target) => target.key,
      (spec, keys) => spec.load(ctx, keys, projectionForType(info, spec.typename)),
    );
    return documents.map((document, i) => (document ? asTyped(targets[i].spec.typename, document) : null));
  }
}
