import type { Request, RequestHandler, Response } from "express";

/** Answers a request whose body did not arrive in time, in its API's own shape (HTTP 408). */
export type BodyTimeoutResponder = (req: Request, res: Response, message: string) => void;

export const bodyTimeoutMessage = (timeoutMs: number): string =>
  `the request body did not arrive within ${timeoutMs} ms (REQUEST_BODY_TIMEOUT_MS)`;

/**
 * Reads the body with `parser` within `timeoutMs` of the request's arrival, before the request
 * takes an admission slot: a client trickling its upload holds one connection, never a slot that
 * other requests wait for. Past the timeout the request is answered with 408 and its connection
 * closed (the rest of its body must not be read as a next request).
 */
export function readBodyWithin(parser: RequestHandler, timeoutMs: number, onTimeout: BodyTimeoutResponder) {
  return (req: Request, res: Response, then: (error?: unknown) => void): void => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      res.setHeader("Connection", "close");
      onTimeout(req, res, bodyTimeoutMessage(timeoutMs));
    }, timeoutMs);
    parser(req, res, (error?: unknown) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      then(error);
    });
  };
}
