import { badUserInput } from "../graphql/errors";

/**
 * Relay global object ids: `base64url("{Typename}:{key}")`. Opaque to clients; the typename tells
 * `node`/`nodes` which domain and loader to ask, the key is the entity's stored key as text
 * (`CmdbProcess:42`, `PaasInstance:example/default/prod/example--web-5d9c-x2x7p`).
 */
export interface GlobalId {
  typename: string;
  key: string;
}

/** The most characters a global id may have (keys are short; this bounds decoding work). */
export const MAX_GLOBAL_ID_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const TYPENAME = /^[A-Z][A-Za-z0-9]*$/;

export function encodeGlobalId(typename: string, key: string | number): string {
  return Buffer.from(`${typename}:${key}`, "utf8").toString("base64url");
}

/** Splits a global id; a value that is not one is `BAD_USER_INPUT` (the argument is named). */
export function decodeGlobalId(id: unknown, argumentName = "id"): GlobalId {
  const refuse = () => badUserInput(`${argumentName}: not a procgraph node id`, { argumentName });
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_GLOBAL_ID_LENGTH || !BASE64URL.test(id)) throw refuse();
  const text = Buffer.from(id, "base64url").toString("utf8");
  // Decoding is lenient; only a canonical encoding names a node (no two ids for one node).
  if (Buffer.from(text, "utf8").toString("base64url") !== id) throw refuse();
  const colon = text.indexOf(":");
  if (colon < 0) throw refuse();
  const typename = text.slice(0, colon);
  const key = text.slice(colon + 1);
  if (!TYPENAME.test(typename) || key.length === 0) throw refuse();
  return { typename, key };
}
