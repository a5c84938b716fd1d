import {
  MongoOperationTimeoutError,
  MongoServerError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
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

/** The options every MongoDB operation of a request is sent with: the time left as `maxTimeMS`. */
export interface QueryOptions {
  maxTimeMS: number;
}

/**
 * Runs one MongoDB operation with the time left (`timeLeft`, which throws once no query may
 * start). Never throws synchronously: when no query may start, the promise rejects and `run` is not
 * called. So an operation started beside others (an element of a `Promise.all` array, a lazy
 * count) is never left without a handler by a later one that may not start: its rejection would be
 * unhandled and end the process.
 */
export async function boundedQuery<T>(timeLeft: () => number, run: (options: QueryOptions) => Promise<T>): Promise<T> {
  return run({ maxTimeMS: timeLeft() });
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
 * Follows the driver's heartbeats, so that while MongoDB is down requests fail at once instead of
 * each waiting out server selection, and recover by themselves on the first good heartbeat.
 */
export class MongoHealth {
  private reachable = true;
  private readonly onFailed = () => {
    this.reachable = false;
  };
  private readonly onSucceeded = () => {
    this.reachable = true;
  };

  constructor(private readonly client: MongoClient) {
    client.on("serverHeartbeatFailed", this.onFailed);
    client.on("serverHeartbeatSucceeded", this.onSucceeded);
  }

  get available(): boolean {
    return this.reachable;
  }

  close(): void {
    this.client.off("serverHeartbeatFailed", this.onFailed);
    this.client.off("serverHeartbeatSucceeded", this.onSucceeded);
  }
}
