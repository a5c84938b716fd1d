import type { Document } from "mongodb";
import type { MaybePromise } from "../graphql/maybePromise";
import type { RequestContext } from "../graphql/context";
import type { NodeTypeSpec } from "../graphql/node";
import type { Projection } from "../graphql/projection";
import { isEnvName, isValidAppCode, isValidModuleName } from "./ids";
import { PaasStore } from "./providers/store";

type Loader = (store: PaasStore, key: string, projection: Projection) => MaybePromise<Document | null>;

/**
 * Whether `text` has the shape of a stored key with `depth` segments: `{app}`, `{app}/{module}`,
 * `{app}/{module}/{env}`, `{app}/{module}/{env}/{name}`.
 */
export function isPaasKey(text: string, depth: 1 | 2 | 3 | 4): boolean {
  const parts = text.split("/");
  if (parts.length !== depth || !isValidAppCode(parts[0])) return false;
  if (depth >= 2 && !isValidModuleName(parts[1])) return false;
  if (depth >= 3 && !isEnvName(parts[2])) return false;
  return depth < 4 || /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(parts[3]);
}

function paasNode(typename: string, depth: 1 | 2 | 3 | 4, load: Loader): NodeTypeSpec {
  return {
    typename,
    keyOf: (document) => document._id as string,
    parseKey: (text) => (isPaasKey(text, depth) ? text : undefined),
    // The store answers null, without a query, for an app outside the caller's scope.
    load: (ctx: RequestContext, keys, projection) => Promise.all(keys.map((key) => load(PaasStore.of(ctx), String(key), projection))),
  };
}

/** Every PaaS entity is a Node keyed by its stored `_id` (an app's is its code). */
export const paasNodeTypes: NodeTypeSpec[] = [
  paasNode("PaasApp", 1, (store, key, projection) => store.app(key, projection)),
  paasNode("PaasModule", 2, (store, key, projection) => store.module(key, projection)),
  paasNode("PaasEnvironment", 3, (store, key, projection) => store.env(key, projection)),
  paasNode("PaasProcess", 4, (store, key, projection) => store.process(key, projection)),
  paasNode("PaasInstance", 4, (store, key, projection) => store.instance(key, projection)),
  paasNode("PaasProcessPackage", 4, (store, key, projection) => store.spec(key, projection)),
];
