import type { Request, RequestHandler } from "express";
import type { Logger } from "pino";
import type { Metrics } from "./metrics";

/** A bounded set of route labels: matched route patterns, or the mount point of a sub-app. */
function routeLabel(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  for (const prefix of ["/graphql/federation", "/graphql", "/playground"]) if (req.originalUrl.startsWith(prefix)) return prefix;
  return "unmatched";
}

/** One structured line per request, with its id, and the HTTP request counter. */
export function requestLog(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.on("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const route = routeLabel(req);
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      logger.info(
        { requestId: req.requestId, method: req.method, path: req.path, route, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 },
        "request",
      );
    });
    next();
  };
}
