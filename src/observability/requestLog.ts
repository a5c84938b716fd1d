import { performance } from "node:perf_hooks";
import type { Request, Response } from "express";
import type { Logger } from "pino";
import type { Metrics } from "./metrics";

const MOUNT_POINTS = ["/graphql/federation", "/graphql", "/playground"];

/** A bounded set of route labels: matched route patterns, or the mount point of a sub-app. */
function routeLabel(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  for (const prefix of MOUNT_POINTS) if (req.originalUrl.startsWith(prefix)) return prefix;
  return "unmatched";
}

/**
 * One structured line per request, with its id, and the HTTP request counter. A function called by
 * the request's first middleware rather than a middleware of its own: every Express layer costs
 * each request a path match.
 */
export function requestLogger(logger: Logger, metrics: Metrics): (req: Request, res: Response) => void {
  return (req, res) => {
    const startedAt = performance.now();
    // "finish" is emitted once; `on` spares the wrapper `once` allocates.
    res.on("finish", () => {
      const route = routeLabel(req);
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      if (!logger.isLevelEnabled("info")) return;
      const durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
      logger.info({ requestId: req.requestId, method: req.method, path: req.path, route, status: res.statusCode, durationMs }, "request");
    });
  };
}
