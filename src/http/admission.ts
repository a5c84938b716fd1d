import type { Request, RequestHandler, Response } from "express";
import { SERVICE_UNAVAILABLE_MESSAGE } from "../db/health";
import { requestFailureStatus } from "../graphql/errors";
import type { AdmissionLimits } from "../config";
import type { Metrics } from "../observability/metrics";

export type { AdmissionLimits };

export type OverloadReason = "queue_full" | "queue_wait" | "deadline";

export const OVERLOADED = "OVERLOADED";

export interface Overload {
  /**
   * OVERLOADED, or SERVICE_UNAVAILABLE for a request whose wait reached its deadline while
   * MongoDB did not answer: the slots were held by requests waiting for it, not by work.
   */
  code: typeof OVERLOADED | "SERVICE_UNAVAILABLE";
  reason: OverloadReason;
  message: string;
  /** 503 (the request-failure rule in src/graphql/errors.ts); Retry-After is already set. */
  status: number;
}

/** Answers a refused request in its API's own shape (status 503, with the overload's code). */
export type OverloadResponder = (res: Response, overload: Overload) => void;

/**
 * Bounds the GraphQL operations and REST requests executing at once. MongoDB serves a few queries
 * at a time anyway: beyond that, more concurrent requests only hold their partial results in memory
 * longer and all miss their deadlines together. Excess requests wait in order (holding only their
 * small parsed body) until their deadline; beyond the queue they are refused at once, so a client
 * can back off or go to another instance.
 */
export class Admission {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly requestTimeoutMs: number,
    private readonly metrics: Metrics,
    private readonly databaseAvailable: () => boolean = () => true,
  ) {
    metrics.observeAdmissionQueue(() => this.queue.length);
  }

  /**
   * Runs `work` once a slot is free and holds the slot until `work` settles, also when the client
   * hangs up first: its work still holds memory and MongoDB until it notices, so the next request
   * waits for it. `work` must not reject (it answers its own errors).
   */
  admit(req: Request, res: Response, refuse: OverloadResponder, work: () => Promise<void>): void {
    const start = () => {
      this.running++;
      void work().then(this.release, this.release);
    };
    if (this.running < this.limits.maxConcurrent) return start();
    if (this.queue.length >= this.limits.maxQueued) return this.refuse(res, refuse, "queue_full");

    const dequeue = () => {
      clearTimeout(timer);
      res.off("close", dequeue);
      const index = this.queue.indexOf(waiter);
      if (index >= 0) this.queue.splice(index, 1);
    };
    const waiter = () => {
      dequeue();
      start();
    };
    // The wait counts against the request's deadline, and is cut at MAX_QUEUE_WAIT_MS: a request
    // that could not start in time (or with enough time left to finish) is refused.
    const untilDeadline = Math.max(0, req.deadline - Date.now());
    const reason: OverloadReason = this.limits.maxWaitMs !== undefined && this.limits.maxWaitMs < untilDeadline ? "queue_wait" : "deadline";
    const timer = setTimeout(() => {
      dequeue();
      this.refuse(res, refuse, reason);
    }, reason === "queue_wait" ? this.limits.maxWaitMs : untilDeadline);
    // A client that gave up leaves the queue.
    res.once("close", dequeue);
    this.queue.push(waiter);
  }

  /** Express middleware for routers that answer on their own: the slot is held until the response closes. */
  middleware(refuse: OverloadResponder): RequestHandler {
    return (req, res, next) =>
      this.admit(req, res, refuse, () => {
        const closed = new Promise<void>((resolve) => res.once("close", resolve));
        next();
        return closed;
      });
  }

  private readonly release = (): void => {
    this.running--;
    this.queue.shift()?.();
  };

  private refuse(res: Response, respond: OverloadResponder, reason: OverloadReason): void {
    if (reason !== "queue_full" && !this.databaseAvailable()) {
      respond(res, { code: "SERVICE_UNAVAILABLE", reason, message: SERVICE_UNAVAILABLE_MESSAGE, status: requestFailureStatus(res, "SERVICE_UNAVAILABLE") });
      return;
    }
    this.metrics.overloadRefusals.inc({ reason });
    const { maxConcurrent, maxQueued } = this.limits;
    const message =
      reason === "queue_full"
        ? `the server is at its limit of ${maxConcurrent} concurrent requests (MAX_CONCURRENT_REQUESTS) with ${maxQueued} waiting (MAX_QUEUED_REQUESTS); try again shortly`
        : reason === "queue_wait"
          ? `the request waited ${this.limits.maxWaitMs} ms (MAX_QUEUE_WAIT_MS) for one of the ${maxConcurrent} request slots (MAX_CONCURRENT_REQUESTS); try again shortly`
          : `the request waited for one of the ${maxConcurrent} request slots (MAX_CONCURRENT_REQUESTS) until its deadline of ${this.requestTimeoutMs} ms (REQUEST_TIMEOUT_MS); try again shortly`;
    respond(res, { code: OVERLOADED, reason, message, status: requestFailureStatus(res, OVERLOADED) });
  }
}
