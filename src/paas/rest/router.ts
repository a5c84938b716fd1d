import { Router, type Request, type Response } from "express";
import { accessOf } from "../../auth/authenticate";
import { createRequestContext, type AppDeps } from "../../graphql/context";
import { PaasNotFoundError, PaasValidationError } from "../providers/errors";
import { PaasManager, parseListQuery } from "../providers/manager";
import { processListBody } from "./serialize";

const BASE = "/api/bkapps/applications/:app_code";

/**
 * bk-paas v3's `GET …/processes/list/` (module form, P-2) and its default-module form (P-3).
 * Errors answer with upstream's bodies; anything unexpected goes to the app's JSON error handler.
 */
export function paasRestRouter(deps: AppDeps): Router {
  const router = Router();
  const list = async (req: Request, res: Response) => {
    const ctx = createRequestContext(deps, req.requestId, req.headers, accessOf(req));
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
        res.status(400).json({ code: "VALIDATION_ERROR", detail: error.message, fields_detail: error.fields });
      } else if (error instanceof PaasNotFoundError) {
        res.status(404).json({ code: "ERROR", detail: error.message });
      } else {
        throw error;
      }
    }
  };
  router.get(`${BASE}/modules/:module_name/envs/:environment/processes/list/`, list);
  router.get(`${BASE}/envs/:environment/processes/list/`, list);
  return router;
}
