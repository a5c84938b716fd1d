import type { RequestHandler } from "express";

const ALLOWED_METHODS = "GET, POST, OPTIONS";

/**
 * Cross-origin access only for the configured origins (default: none). A disallowed origin gets no
 * CORS headers, so the browser refuses the response; its preflight is answered 403.
 */
export function corsAllowlist(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.header("origin");
    if (!origin) return next();
    res.vary("Origin");
    const isPreflight = req.method === "OPTIONS" && req.header("access-control-request-method") !== undefined;
    if (!allowed.has(origin)) {
      if (isPreflight) {
        res.status(403).json({ code: "CORS_ORIGIN_NOT_ALLOWED", detail: `origin ${origin} is not in CORS_ORIGINS` });
        return;
      }
      return next();
    }
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Expose-Headers", "x-request-id");
    if (isPreflight) {
      res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
      const requested = req.header("access-control-request-headers");
      if (requested) res.setHeader("Access-Control-Allow-Headers", requested);
      res.setHeader("Access-Control-Max-Age", "600");
      res.status(204).end();
      return;
    }
    next();
  };
}
