import { MongoError, MongoServerError } from "mongodb";
import { isMongoUnavailable, isTimeout } from "../../db/health";
import { allOf, andThen, type MaybePromise } from "../../graphql/maybePromise";
import type { Projection } from "../../graphql/projection";
import { isCmdbId, type HostDoc, type ModuleDoc, type RelationDoc, type ServiceInstanceDoc, type SetDoc } from "../collections";
import { bkErrors, CmdbApiError } from "./errors";
import { parseRelatedInfoRequest, type RelatedInfoQuery } from "./relatedInfoRequest";
import type { CmdbStore, RelatedInfoResult } from "./store";

/**
 * list_process_related_info behind the native and ESB endpoints and `cmdbProcessRelatedInfo`, one
 * implementation for all three: the request parsed by `parseRelatedInfoRequest`, its page read by
 * the store (steps A to E), the joins of each row (steps F to I) through the request's loaders
 * (docs/cmdb.md, "Query steps").
 */

/**
 * A request from its raw `bk_biz_id` and body to its page: validation in the documented order,
 * then the page of processes, the total count and each process's relation row. `processProjection`
 * says what the caller reads of each process, given the validated request. Throws the first
 * validation failure, and a failed read as `asApiError` maps it.
 */
export async function listProcessRelatedInfo(
  store: CmdbStore,
  rawBizId: unknown,
  body: unknown,
  processProjection: (query: RelatedInfoQuery) => Projection,
): Promise<{ query: RelatedInfoQuery; result: RelatedInfoResult }> {
  const query = await parseRelatedInfoRequest(store, rawBizId, body);
  try {
    return { query, result: await store.relatedInfoPage(query, processProjection(query)) };
  } catch (error) {
    throw asApiError(error) ?? error;
  }
}

/** MongoDB's "Regular expression is invalid" (also SecantusDB's). */
const INVALID_REGEX = 51091;

/**
 * A CmdbApiError as is; an invalid regex as 1199006; a failed MongoDB read as upstream's 1199002 (the cause goes to the log, not
 * to the caller). A timeout or an outage stays as it is: GraphQL (`formatError`) and REST (503)
 * answer those in their own way.
 */
export function asApiError(error: unknown): CmdbApiError | undefined {
  if (error instanceof CmdbApiError) return error;
  // A regex of the filter that MongoDB's engine refuses though the check accepted it: the caller's input.
  if (error instanceof MongoServerError && error.code === INVALID_REGEX) return bkErrors.paramsInvalid(`invalid regular expression (${error.message}), process_property_filter`);
  if (error instanceof MongoError && !isTimeout(error) && !isMongoUnavailable(error)) return Object.assign(bkErrors.httpRequestFailed(), { cause: error });
  return undefined;
}

/** What the next step of a row's joins reads of the one before. */
const MODULE_LINK: Projection = new Set(["bk_module_id"]);
const SET_LINK: Projection = new Set(["bk_set_id"]);

/**
 * Steps F to I: the joins of one row, through the request's loaders so a page costs one query per
 * collection. Each answers null for a missing link (REST writes zero values instead: docs/cmdb.md,
 * "Links and zero values"), and answers with the document itself once the loaders hold it.
 */
export const relatedJoins = {
  serviceInstance(store: CmdbStore, bizId: number, relation: RelationDoc | null, projection: Projection): MaybePromise<ServiceInstanceDoc | null> {
    const id = relation?.service_instance_id;
    return isCmdbId(id) ? store.oneOfBusiness("serviceInstance", bizId, id, projection) : null;
  },
  module(store: CmdbStore, bizId: number, relation: RelationDoc | null, projection: Projection): MaybePromise<ModuleDoc | null> {
    return andThen(relatedJoins.serviceInstance(store, bizId, relation, MODULE_LINK), (instance) => {
      const id = instance?.bk_module_id;
      return isCmdbId(id) ? store.oneOfBusiness("module", bizId, id, projection) : null;
    });
  },
  set(store: CmdbStore, bizId: number, relation: RelationDoc | null, projection: Projection): MaybePromise<SetDoc | null> {
    return andThen(relatedJoins.module(store, bizId, relation, SET_LINK), (module) => {
      const id = module?.bk_set_id;
      return isCmdbId(id) ? store.oneOfBusiness("set", bizId, id, projection) : null;
    });
  },
  host(store: CmdbStore, relation: RelationDoc | null, projection: Projection): MaybePromise<HostDoc | null> {
    const id = relation?.bk_host_id;
    return isCmdbId(id) ? store.one("host", id, projection) : null;
  },
};

/** The linked documents of one row (null for a missing link). */
export interface RelatedInfoJoins {
  serviceInstance: ServiceInstanceDoc | null;
  module: ModuleDoc | null;
  set: SetDoc | null;
  host: HostDoc | null;
}

/** All four joins of a row at once, each projected as given. */
export function joinRow(store: CmdbStore, bizId: number, relation: RelationDoc | null, projections: Record<keyof RelatedInfoJoins, Projection>): MaybePromise<RelatedInfoJoins> {
  const joins = allOf<unknown>([
    relatedJoins.serviceInstance(store, bizId, relation, projections.serviceInstance),
    relatedJoins.module(store, bizId, relation, projections.module),
    relatedJoins.set(store, bizId, relation, projections.set),
    relatedJoins.host(store, relation, projections.host),
  ]);
  return andThen(joins, ([serviceInstance, module, set, host]) => ({ serviceInstance, module, set, host }) as RelatedInfoJoins);
}
