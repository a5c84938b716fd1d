import { Router, type Request, type Response } from "express";
import { accessOf } from "../../auth/authenticate";
import { upstreamFailure } from "../../db/health";
import { createRequestContext, type AppDeps } from "../../graphql/context";
import { requestFailureStatus } from "../../graphql/errors";
import { PaasNotFoundError, PaasValidationError } from "../providers/errors";
import { PaasManager, parseListQuery } from "../providers/manager";
import { processListBody } from "./serialize";

const BASE = "/api/bkapps/applications/:app_code";

/** bk-paas's error body: `{code, detail}` (and `fields_detail` for validation errors). */
export function sendPaasError(res: Response, status: number, code: string, detail: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ code, detail, ...extra });
}

/**
 * bk-paas v3's `GET …/processes/list/` (module form) and its default-module form (docs/paas.md, "Default-module form").
 * Errors answer with upstream's bodies; a timeout or a MongoDB outage with 503 and its code;
 * anything else goes to the app's JSON error handler (500, no stack trace). The caller's scope
 * comes with the context: an app outside it is answered exactly like an unknown one (404).
 */
export function paasRestRouter(deps: AppDeps): Router {
  const router = Router();
  const list = async (req: Request, res: Response) => {
    const ctx = createRequestContext(deps, req, accessOf(req));
    const params = req.params as Record<string, string>;
    const query = parseListQuery(req.query as Record<string, unknown>);
    try {
      const result = await PaasManager.of(ctx).processList({
        appCode: params.app_code,
        moduleName: params.module_name ?? null,
        environment: params.environment,
        onlyLatestVersion: query.onlyLatestVersion,
        queryErrors: query.errors,
      });
      res.json(processListBody(result));
    } catch (error) {
      if (error instanceof PaasValidationError) {
        sendPaasError(res, 400, "VALIDATION_ERROR", error.message, { fields_detail: error.fields });
      } else if (error instanceof PaasNotFoundError) {
        sendPaasError(res, 404, "ERROR", error.message);
      } else {
        // A timeout (504) or an outage (503) with its code; anything else a bug, for the JSON 500 handler.
        const failure = upstreamFailure(error, deps.config.requestTimeoutMs);
        if (!failure) throw error;
        sendPaasError(res, requestFailureStatus(res, failure.code), failure.code, failure.message);
      }
    }
  };
  router.get(`${BASE}/modules/:module_name/envs/:environment/processes/list/`, list);
  router.get(`${BASE}/envs/:environment/processes/list/`, list);
  return router;
}
