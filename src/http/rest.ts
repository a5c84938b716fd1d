import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response } from "express";
import { retryAfterHeaders, type AuthResult } from "../auth/authenticate";
import { SERVICE_UNAVAILABLE_MESSAGE, type MongoHealth } from "../db/health";
import type { AppDeps } from "../graphql/context";
import { ErrorCode, requestFailureStatus } from "../graphql/errors";
import type { DomainModule, RestRefusal } from "../modules/types";
import type { Admission } from "./admission";
import { readBodyWithin } from "./body";

export interface RestMounting {
  modules: readonly DomainModule[];
  health: MongoHealth;
  admission: Admission;
  identify(req: Request): AuthResult | Promise<AuthResult>;
}

/**
 * Mounts every module's REST compatibility router. Each REST family reads its body (within
 * REQUEST_BODY_TIMEOUT_MS and the module's size limit), is admitted, then authenticates, before its
 * router (one layer, as for GraphQL), and answers refusals in its own API's shape (`restError`).
 */
export function mountRestRouters(app: Express, deps: AppDeps, mounting: RestMounting): void {
  const { config } = deps;
  const { health, admission, identify } = mounting;
  for (const module of mounting.modules) {
    if (!module.restRouter) continue;
    const prefixes = module.restPrefixes ?? [];
    const respond = module.restError;
    if (prefixes.length === 0 || !respond) throw new Error(`module ${module.name}: REST routes need restPrefixes and restError (authentication)`);
    const inFamily = (req: Request) => prefixes.some((prefix) => req.path.startsWith(prefix));
    const readBody = readBodyWithin(express.text({ type: () => true, limit: module.restBodyLimit ?? "1mb" }), config.requestBodyTimeoutMs, (_req, res, message) =>
      respond(res, { status: 408, code: "BODY_TIMEOUT", message }),
    );
    const admit = admission.middleware((res, overload) => respond(res, { status: overload.status, code: overload.code, message: overload.message }));
    const authenticateThen = async (req: Request, res: Response, next: NextFunction) => {
      try {
        req.auth = await identify(req);
      } catch (error) {
        return next(error);
      }
      if (!req.auth.ok) {
        retryAfterHeaders(req.auth)?.forEach((value, name) => res.setHeader(name, value));
        return respond(res, { status: req.auth.status, code: req.auth.code, message: req.auth.message });
      }
      next();
    };
    app.use((req, res, next) => {
      if (!inFamily(req)) return next();
      if (!health.available) {
        const status = requestFailureStatus(res, ErrorCode.ServiceUnavailable);
        return respond(res, { status, code: ErrorCode.ServiceUnavailable, message: SERVICE_UNAVAILABLE_MESSAGE });
      }
      readBody(req, res, (bodyError) => {
        if (bodyError) return respond(res, unreadableBody(bodyError));
        admit(req, res, () => void authenticateThen(req, res, next));
      });
    });
    app.use(module.restRouter(deps));
  }
}

/** body-parser's refusal (too large, unsupported charset or encoding, aborted) as a REST refusal. */
function unreadableBody(error: unknown): RestRefusal {
  const status = (error as { status?: number }).status;
  return { status: typeof status === "number" && status >= 400 && status < 500 ? status : 400, code: "BAD_BODY", message: (error as Error).message };
}

/** After every route: a path no route serves is a JSON 404 with a stable code. */
export function mountNotFound(app: Express, deps: AppDeps): void {
  app.use((req, res) => {
    res.status(404).json({ code: "NOT_FOUND", detail: `no route for ${req.method} ${req.path}` });
  });
  app.use(jsonErrorHandler(deps));
}

/** The last resort: a JSON body with a stable code, never an HTML page or a stack trace. */
function jsonErrorHandler(deps: AppDeps): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      const code = type === "entity.parse.failed" ? "INVALID_JSON" : type === "entity.too.large" ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
      res.status(status).json({ code, detail: code === "INVALID_JSON" ? "the request body is not valid JSON" : (error as Error).message });
      return;
    }
    deps.logger.error({ err: error, requestId: req.requestId, path: req.path }, "request failed");
    if (res.headersSent) return;
    res.status(500).json({ code: "INTERNAL_SERVER_ERROR", detail: "Internal server error", request_id: req.requestId });
  };
}
