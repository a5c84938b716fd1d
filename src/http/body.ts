import type { Request, RequestHandler, Response } from "express";

/** Answers a request whose body did not arrive in time, in its API's own shape (HTTP 408). */
export type BodyTimeoutResponder = (req: Request, res: Response, message: string) => void;

export const bodyTimeoutMessage = (timeoutMs: number): string =>
  `the request body did not arrive within ${timeoutMs} ms (REQUEST_BODY_TIMEOUT_MS)`;

interface BodyRead {
  deadline: number;
  expire(): void;
}

/**
 * The deadlines of the bodies being read, under one timer: a timer per request would cost each a
 * timer-list insertion and removal for an expiry that almost never comes. A body past its deadline
 * is answered at the next sweep: a tenth of the timeout late at most (never more than 250 ms).
 */
class BodyDeadlines {
  private readonly reading = new Set<BodyRead>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly sweepEveryMs: number;

  constructor(timeoutMs: number) {
    this.sweepEveryMs = Math.max(10, Math.min(250, Math.floor(timeoutMs / 10)));
  }

  watch(read: BodyRead): void {
    this.reading.add(read);
    // Unreferenced: a pending body keeps its connection, not the process, alive.
    this.sweeper ??= setInterval(this.sweep, this.sweepEveryMs).unref();
  }

  done(read: BodyRead): void {
    this.reading.delete(read);
  }

  private readonly sweep = (): void => {
    const now = Date.now();
    for (const read of this.reading) {
      if (read.deadline > now) continue;
      this.reading.delete(read);
      read.expire();
    }
    if (this.reading.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  };
}

/**
 * Reads the body with `parser` within `timeoutMs` of the request's arrival, before the request
 * takes an admission slot: a client trickling its upload holds one connection, never a slot that
 * other requests wait for. Past the timeout the request is answered with 408 and its connection
 * closed (the rest of its body must not be read as a next request).
 */
export function readBodyWithin(parser: RequestHandler, timeoutMs: number, onTimeout: BodyTimeoutResponder) {
  const deadlines = new BodyDeadlines(timeoutMs);
  return (req: Request, res: Response, then: (error?: unknown) => void): void => {
    let settled = false;
    const read: BodyRead = {
      deadline: Date.now() + timeoutMs,
      expire: () => {
        settled = true;
        res.setHeader("Connection", "close");
        onTimeout(req, res, bodyTimeoutMessage(timeoutMs));
      },
    };
    deadlines.watch(read);
    parser(req, res, (error?: unknown) => {
      deadlines.done(read);
      if (settled) return;
      settled = true;
      then(error);
    });
  };
}
