import { randomUUID } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";

declare module "express-serve-static-core" {
  interface Request {
    requestId: string;
    /** Epoch milliseconds: arrival plus REQUEST_TIMEOUT_MS, so waiting for admission counts too. */
    deadline: number;
  }
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every request's first step: starts its deadline, accepts a caller's `x-request-id` (so logs
 * correlate across services) or makes one, and logs the request when it is answered.
 */
export const startRequest =
  (requestTimeoutMs: number, logRequest: (req: Request, res: Response) => void): RequestHandler =>
  (req, res, next) => {
    req.deadline = Date.now() + requestTimeoutMs;
    const given = req.headers["x-request-id"];
    req.requestId = typeof given === "string" && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    res.setHeader("x-request-id", req.requestId);
    logRequest(req, res);
    next();
  };
