import { GraphQLError } from "graphql";

/** Stable `extensions.code` values clients can switch on. */
export const ErrorCode = {
  BadUserInput: "BAD_USER_INPUT",
  NotFound: "NOT_FOUND",
  Internal: "INTERNAL_SERVER_ERROR",
  ServiceUnavailable: "SERVICE_UNAVAILABLE",
  Timeout: "TIMEOUT",
} as const;

export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, ...extensions } });
}

export function notFound(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NotFound, ...extensions } });
}

/** The codes of request-level failures: the server's state, not the request, kept it from an answer. */
export type RequestFailureCode = "OVERLOADED" | "SERVICE_UNAVAILABLE" | "TIMEOUT";

/**
 * The one rule for request-level failures, on every API (README, "Running in production"): an
 * answer without data is a 5xx, with `Retry-After` where trying again soon can succeed. 503 when
 * procgraph sheds load or MongoDB is unreachable (its heartbeat notices a return within 2 s);
 * 504 when the request's deadline passed waiting for MongoDB, which procgraph is a gateway to
 * (the same request is likely to take as long again: no Retry-After).
 */
export const REQUEST_FAILURES: Record<RequestFailureCode, { status: 503 | 504; retryAfterSeconds?: number }> = {
  OVERLOADED: { status: 503, retryAfterSeconds: 1 },
  SERVICE_UNAVAILABLE: { status: 503, retryAfterSeconds: 2 },
  TIMEOUT: { status: 504 },
};

export const isRequestFailureCode = (code: unknown): code is RequestFailureCode => typeof code === "string" && Object.hasOwn(REQUEST_FAILURES, code);

/** Sets `Retry-After` where the rule has one and returns the status for `code`. */
export function requestFailureStatus(res: { setHeader(name: string, value: string): unknown }, code: RequestFailureCode): number {
  const { status, retryAfterSeconds } = REQUEST_FAILURES[code];
  if (retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(retryAfterSeconds));
  return status;
}
