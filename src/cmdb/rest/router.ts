import express, { type Request, type Response, type Router } from "express";
import { accessOf } from "../../auth/authenticate";
import { createRequestContext, type AppDeps } from "../../graphql/context";
import { readInRounds } from "../../graphql/prefetch";
import type { RestRefusal } from "../../modules/types";
import { upstreamFailure } from "../../db/health";
import { requestFailureStatus } from "../../graphql/errors";
import { bkErrors, type CmdbApiError } from "../providers/errors";
import { asApiError, joinRow, listProcessRelatedInfo } from "../providers/relatedInfo";
import { parseBizId } from "../providers/relatedInfoRequest";
import { CmdbStore } from "../providers/store";
import { processProjectionForFields, relatedInfoItem, REST_JOIN_PROJECTIONS } from "./relatedInfoJson";

export const NATIVE_PATH = "/api/v3/findmany/proc/process_related_info/biz/:bk_biz_id";
export const ESB_PATH = "/api/c/compapi/v2/cc/list_process_related_info/";

type Envelope = "native" | "esb";

/** Upstream's envelopes, key order included; business errors are HTTP 200 (docs/cmdb.md, "Envelopes"). */
function send(res: Response, envelope: Envelope, outcome: { data: unknown } | { error: CmdbApiError }, status = 200): void {
  const ok = "data" in outcome;
  const code = ok ? 0 : outcome.error.code;
  const message = ok ? "success" : outcome.error.message;
  const data = ok ? outcome.data : null;
  const body =
    envelope === "native"
      ? { result: ok, bk_error_code: code, bk_error_msg: message, permission: null, data }
      : { result: ok, code, message, data };
  res.status(status).type("application/json").send(JSON.stringify(body));
}

export const CMDB_REST_PREFIXES = ["/api/v3/findmany/proc/", "/api/c/compapi/v2/cc/"] as const;

/** The largest body the endpoints read (the app reads it before admission; docs/cmdb.md, "Access and limits"). */
export const CMDB_REST_BODY_LIMIT = "10mb";

/**
 * A request refused before the router, in the envelope of its path with the HTTP status: no or a
 * bad token is 401 with upstream's 1100004 and the reason; overload is 503 with upstream's rate-limit
 * 1199997 "too many requests" (and Retry-After); MongoDB down is 503 with 1199002, like a
 * read that fails inside the handler. A body that cannot be read is upstream's 1199000 (its
 * handlers fail reading the body with it): HTTP 200 like every business error ("Envelopes") when the
 * parser refused it, 408 when it did not arrive in time.
 */
export function cmdbRestRefusal(res: Response, refusal: RestRefusal): void {
  const envelope: Envelope = res.req.path.startsWith("/api/c/compapi/") ? "esb" : "native";
  const errors: Record<RestRefusal["code"], () => CmdbApiError> = {
    UNAUTHENTICATED: () => bkErrors.noPassSourceCertification(refusal.message),
    OVERLOADED: bkErrors.tooManyRequests,
    RATE_LIMITED: bkErrors.tooManyRequests,
    SERVICE_UNAVAILABLE: bkErrors.httpRequestFailed,
    TIMEOUT: bkErrors.httpRequestFailed,
    BODY_TIMEOUT: bkErrors.jsonUnmarshalFailed,
    BAD_BODY: bkErrors.jsonUnmarshalFailed,
  };
  send(res, envelope, { error: errors[refusal.code]() }, refusal.code === "BAD_BODY" ? 200 : refusal.status);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The REST compatibility endpoints of list_process_related_info: the native API-server path and
 * the ESB path. The app has read the body as text (CMDB_REST_BODY_LIMIT), and each endpoint
 * decodes it itself, so malformed JSON is upstream's 1199000, not a 400.
 */
export function cmdbRestRouter(deps: AppDeps): Router {
  const router = express.Router();

  const handle = (envelope: Envelope) => async (req: Request, res: Response) => {
    const ctx = createRequestContext(deps, req, accessOf(req));
    const store = CmdbStore.of(ctx);
    try {
      const raw = typeof req.body === "string" ? req.body : "";
      let body: unknown;
      let malformed = false;
      try {
        body = raw.trim() === "" ? undefined : JSON.parse(raw);
      } catch {
        malformed = true;
      }
      // Check 1 (bk_biz_id, from the path or the body) precedes check 2 (decoding).
      if (envelope === "native") parseBizId(req.params.bk_biz_id);
      if (malformed) throw bkErrors.jsonUnmarshalFailed();
      // ESB: a JSON integer in the body; a numeric string is not one (it would be ambiguous).
      const esbBizId = isObject(body) && typeof body.bk_biz_id === "number" ? body.bk_biz_id : undefined;
      const rawBizId = envelope === "native" ? req.params.bk_biz_id : esbBizId;
      const { query, result } = await listProcessRelatedInfo(store, rawBizId, body, (request) => processProjectionForFields(request.fields));
      // Level by level for the whole page (one query per collection and level), then assembled without a promise per row.
      const joins = await readInRounds(ctx.loaders, result.rows, (row) => joinRow(store, query.bizId, row.relation, REST_JOIN_PROJECTIONS));
      const info = result.rows.map((row, index) => relatedInfoItem(row.process, row.relation, joins[index], query.fields));
      send(res, envelope, { data: { count: result.count, info } });
    } catch (thrown) {
      // Steps F-I read through loaders after the page: their failures are 1199002 as well.
      const error = asApiError(thrown);
      if (error) {
        if (error.cause) ctx.logger.error({ err: error.cause, code: error.code }, "list_process_related_info failed");
        return send(res, envelope, { error });
      }
      // A timeout (504) or an outage (503) with 1199002 (upstream's code for this API's failed reads); anything else is a bug (JSON 500).
      const failure = upstreamFailure(thrown, deps.config.requestTimeoutMs);
      if (!failure) throw thrown;
      ctx.logger.warn({ err: thrown, code: failure.code }, "list_process_related_info failed");
      send(res, envelope, { error: bkErrors.httpRequestFailed() }, requestFailureStatus(res, failure.code));
    }
  };

  router.post(NATIVE_PATH, handle("native"));
  router.post(ESB_PATH, handle("esb"));
  return router;
}
