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
