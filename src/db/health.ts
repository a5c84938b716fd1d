import { setMaxListeners } from "node:events";
import {
  MongoOperationTimeoutError,
  MongoServerError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type CommandFailedEvent,
  type MongoClient,
} from "mongodb";

/** Errors that mean "MongoDB cannot be reached now", as opposed to a bad query. */
export function isMongoUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (
      current instanceof MongoNetworkError ||
      current instanceof MongoServerSelectionError ||
      current instanceof MongoNotConnectedError ||
      current instanceof MongoTopologyClosedError
    ) {
      return true;
    }
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A request's deadline passed before a query could be sent. */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
}

/** The caller hung up before a query could be sent; answered like a timeout, though nobody reads it. */
export class CallerGoneError extends DeadlineExceededError {
  override name = "CallerGoneError";
}

/** The caller's socket: `destroyed` once the client closed the connection. */
export interface CallerConnection {
  readonly destroyed: boolean;
}

/**
 * The `maxTimeMS` for a request's next query: what is left of its deadline. Throws once the
 * deadline passed, or once the caller hung up: a query nobody waits for would only hold MongoDB
 * and memory from the requests still waiting for a slot.
 */
export function queryTimeLeft(deadline: number, connection: CallerConnection | undefined): number {
  if (connection?.destroyed) throw new CallerGoneError("the caller closed the connection");
  const maxTimeMS = deadline - Date.now();
  if (maxTimeMS <= 0) throw new DeadlineExceededError("the request's deadline passed");
  return maxTimeMS;
}

/**
 * The options every MongoDB operation of a request is sent with: the time left as `maxTimeMS`, and
 * the signal that ends the operation at the deadline whatever the server does (see `abortAtDeadline`).
 */
export interface QueryOptions {
  maxTimeMS: number;
  signal?: AbortSignal;
}

/**
 * Runs one MongoDB operation with the request's bounds (`bounds`, which throws once no query may
 * start). Never throws synchronously: when no query may start, the promise rejects and `run` is not
 * called. So an operation started beside others (an element of a `Promise.all` array, a lazy
 * count) is never left without a handler by a later one that may not start: its rejection would be
 * unhandled and end the process.
 */
export async function boundedQuery<T>(bounds: () => QueryOptions, run: (options: QueryOptions) => Promise<T>): Promise<T> {
  return run(bounds());
}

/** The request's deadline ran out: before a query, or inside MongoDB (client-side CSOT, or the server's maxTimeMS). */
export function isTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof MongoOperationTimeoutError || current instanceof DeadlineExceededError) return true;
    if (current instanceof MongoServerError && current.code === 50) return true;
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

export const SERVICE_UNAVAILABLE_MESSAGE = "MongoDB is unavailable; try again shortly";

export const timeoutMessage = (requestTimeoutMs: number): string =>
  `the request took longer than its deadline of ${requestTimeoutMs} ms (REQUEST_TIMEOUT_MS)`;

/**
 * A failure that is neither the caller's nor a bug: the deadline ran out (TIMEOUT) or MongoDB
 * cannot be reached (SERVICE_UNAVAILABLE), with the message every interface answers it with.
 */
export function upstreamFailure(error: unknown, requestTimeoutMs: number): { code: "TIMEOUT" | "SERVICE_UNAVAILABLE"; message: string } | undefined {
  if (isTimeout(error)) return { code: "TIMEOUT", message: timeoutMessage(requestTimeoutMs) };
  if (isMongoUnavailable(error)) return { code: "SERVICE_UNAVAILABLE", message: SERVICE_UNAVAILABLE_MESSAGE };
  return undefined;
}

/**
 * What bounds one MongoDB operation of a request: `maxTimeMS` asks the server to stop by the
 * deadline, and `signal` makes the driver give up by then whatever the server does (a frozen or
 * overloaded server never answers `maxTimeMS`). The driver's own client-side timeout (`timeoutMS`)
 * does not do it: it is a no-op on cursors (find, aggregate) and, against a server that stops
 * answering, other operations waited for the 30 s heartbeat timeout too (docs/resilience.md).
 */
/**
 * An AbortSignal that aborts with DeadlineExceededError at `deadline`. The driver rejects the
 * operation with that reason at once and closes the connection it was reading from, so nothing of
 * the request waits past its deadline and no connection is left with an unread answer.
 */
export function abortAtDeadline(deadline: number): AbortSignal {
  const controller = new AbortController();
  // One signal serves all the operations of a request, each adding a listener while it runs.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError("the request's deadline passed")), Math.max(0, deadline - Date.now()));
  timer.unref();
  return controller.signal;
}

export interface MongoHealthOptions {
  /** A command unanswered this long, with no answer to anything since, makes MongoDB unavailable. */
  unresponsiveAfterMs?: number;
  /** How often to check; a `ping` is sent only when nothing was answered meanwhile. */
  probeIntervalMs?: number;
}

/**
 * Whether MongoDB answers now. Two sources: the driver's heartbeats (a refused connection or a
 * network error is seen within one heartbeat), and silence: a server that stops answering
 * (frozen, swapped out, stuck) is seen by a heartbeat only after its 30 s socket timeout, so
 * MongoDB also counts as unavailable once a command (a request's, or our own `ping`, sent while
 * nothing else is answered) has waited `unresponsiveAfterMs` with no answer to anything since it
 * was sent. Answers are counted, not their speed: a server busy with slow queries still answers our
 * `ping` at once, and stays available. While it
 * is unavailable, requests fail at once with SERVICE_UNAVAILABLE instead of waiting out their
 * deadline, and the first answer makes it available again.
 */
export class MongoHealth {
  private reachable = true;
  private lastAnswerAt = Date.now();
  /** When the first command after the last answer was sent: silence is measured from there. */
  private waitingSince: number | undefined = undefined;
  private probing = false;
  private readonly timer: NodeJS.Timeout;
  private readonly unresponsiveAfterMs: number;
  private readonly onFailed = () => {
    this.reachable = false;
  };
  private readonly onSucceeded = () => {
    this.reachable = true;
    this.onAnswer();
  };
  private readonly onStarted = () => {
    this.waitingSince ??= Date.now();
  };
  private readonly onAnswer = () => {
    this.lastAnswerAt = Date.now();
    this.waitingSince = undefined;
  };
  // A failure the server sent (not one of ours, such as a deadline's abort) proves it answers.
  private readonly onCommandFailed = (event: CommandFailedEvent) => {
    if (event.failure instanceof MongoServerError) this.onAnswer();
  };

  constructor(
    private readonly client: MongoClient,
    options: MongoHealthOptions = {},
  ) {
    this.unresponsiveAfterMs = options.unresponsiveAfterMs ?? 1_500;
    const probeIntervalMs = options.probeIntervalMs ?? 500;
    client.on("serverHeartbeatFailed", this.onFailed);
    client.on("serverHeartbeatSucceeded", this.onSucceeded);
    client.on("commandStarted", this.onStarted);
    client.on("commandSucceeded", this.onAnswer);
    client.on("commandFailed", this.onCommandFailed);
    this.timer = setInterval(() => this.probe(probeIntervalMs), probeIntervalMs);
    this.timer.unref();
  }

  get available(): boolean {
    return this.reachable && !this.silentFor(this.unresponsiveAfterMs);
  }

  /** Whether a command has waited `ms` for an answer, with no answer to anything since it was sent. */
  silentFor(ms: number): boolean {
    return this.waitingSince !== undefined && Date.now() - this.waitingSince >= ms;
  }

  /**
   * Whether MongoDB answers `ping` within `withinMs` (readiness). Does not wait when the server
   * is already known to be unavailable.
   */
  async ping(withinMs: number): Promise<boolean> {
    if (!this.available) return false;
    try {
      await this.client.db("admin").command({ ping: 1 }, { signal: abortAtDeadline(Date.now() + withinMs) });
      this.onAnswer();
      return true;
    } catch {
      return false;
    }
  }

  private probe(quietMs: number): void {
    if (this.probing) return;
    // A ping when nothing was answered for a while, also beside a slow command: a server that is
    // busy (not frozen) answers it at once, and that answer keeps it available.
    const quietSince = this.waitingSince ?? this.lastAnswerAt;
    if (Date.now() - quietSince < quietMs) return;
    this.probing = true;
    // Also without command monitoring, the probe's own wait counts.
    this.onStarted();
    // One probe at a time, left waiting while the server is silent: its answer is the first sign
    // of the server's return. Bounded all the same, so a dead connection cannot hold it forever.
    this.client
      .db("admin")
      .command({ ping: 1 }, { signal: abortAtDeadline(Date.now() + 10_000) })
      .then(this.onAnswer, () => undefined)
      .finally(() => {
        this.probing = false;
      });
  }

  close(): void {
    clearInterval(this.timer);
    this.client.off("serverHeartbeatFailed", this.onFailed);
    this.client.off("serverHeartbeatSucceeded", this.onSucceeded);
    this.client.off("commandStarted", this.onStarted);
    this.client.off("commandSucceeded", this.onAnswer);
    this.client.off("commandFailed", this.onCommandFailed);
  }
}
