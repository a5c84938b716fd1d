import type { NodeTypeSpec } from "../graphql/node";
import { CmdbEntity, type CmdbEntityName } from "./collections";
import { CmdbStore } from "./providers/store";

/** The GraphQL type of each CMDB entity. */
const CMDB_TYPENAMES: Record<CmdbEntityName, string> = {
  business: "CmdbBusiness",
  set: "CmdbSet",
  module: "CmdbModule",
  host: "CmdbHost",
  serviceInstance: "CmdbServiceInstance",
  process: "CmdbProcess",
  processTemplate: "CmdbProcessTemplate",
};

/** A CMDB key in a global id: a decimal safe integer without sign or leading zeros. */
export function parseCmdbKey(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Every CMDB entity is a Node keyed by its bk-cmdb id, loaded within the owner and access scopes. */
export const cmdbNodeTypes: NodeTypeSpec[] = (Object.keys(CMDB_TYPENAMES) as CmdbEntityName[]).map((entity) => ({
  typename: CMDB_TYPENAMES[entity],
  keyOf: (document) => document[CmdbEntity[entity].key] as number,
  parseKey: parseCmdbKey,
  load: (ctx, keys, projection) => CmdbStore.of(ctx).inScope(entity, keys as number[], projection),
}));
