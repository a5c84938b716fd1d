import type { Request } from "express";
import type { RequestAccess } from "../graphql/context";
import { abortAtDeadline, isMongoUnavailable, isTimeout, SERVICE_UNAVAILABLE_MESSAGE, timeoutMessage } from "../db/health";
import { REQUEST_FAILURES } from "../graphql/errors";
import type { AccessScope } from "./scope";
import type { FailedAuthThrottle } from "./throttle";
import type { TokenIdentity, TokenStore } from "./tokens";

export type AuthFailure = {
  ok: false;
  status: 401 | 429 | 503 | 504;
  code: "UNAUTHENTICATED" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "TIMEOUT";
  message: string;
  /** The Retry-After, in seconds, where trying again soon can succeed (RATE_LIMITED, SERVICE_UNAVAILABLE). */
  retryAfterSeconds?: number;
};

/** The request-failure rule's answer while MongoDB is unavailable (README, "Running in production"). */
const unavailable: AuthFailure = {
  ok: false,
  status: REQUEST_FAILURES.SERVICE_UNAVAILABLE.status,
  code: "SERVICE_UNAVAILABLE",
  message: SERVICE_UNAVAILABLE_MESSAGE,
  retryAfterSeconds: REQUEST_FAILURES.SERVICE_UNAVAILABLE.retryAfterSeconds,
};

/** The Retry-After of a rate-limited caller, as a header map (Apollo's `extensions.http.headers` takes one; REST sets each). */
export function retryAfterHeaders(failure: AuthFailure): Map<string, string> | undefined {
  return failure.retryAfterSeconds ? new Map([["retry-after", String(failure.retryAfterSeconds)]]) : undefined;
}

export type AuthResult = { ok: true; principal: string; anonymous: boolean; scope: AccessScope } | AuthFailure;

declare module "express-serve-static-core" {
  interface Request {
    auth: AuthResult;
  }
}

export const ANONYMOUS_PRINCIPAL = "anonymous";

/** The caller of a request that passed authentication (REST routers run only behind it). */
export function accessOf(req: Request): RequestAccess {
  const auth = req.auth as AuthResult | undefined;
  if (!auth?.ok) throw new Error(`${req.path}: route reached without authentication`);
  return auth;
}

function presentedToken(authorization: string | undefined, header: string | undefined): string | undefined {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : authorization.trim();
  }
  return header?.trim() || undefined;
}

export interface CallerIdentification {
  tokens: TokenStore;
  anonymousScope: AccessScope | undefined;
  throttle: FailedAuthThrottle;
  /** Whether MongoDB answers now: a token only MongoDB knows is not looked up while it does not. */
  databaseAvailable(): boolean;
  requestTimeoutMs: number;
}

/**
 * Who is calling: a token's identity, or anonymous where the operator allows it. Never rejects
 * for a bad token, an outage or a timeout (those are results); other errors are bugs and do
 * reject. It answers nothing itself: GraphQL and each REST family report a failure in their own
 * shape. A token already known valid is answered from memory, whatever MongoDB does; a lookup is
 * bounded by the request's deadline; an address with too many failed authentications gets
 * RATE_LIMITED for any token not already known valid, without a lookup.
 */
export function identifyCaller(options: CallerIdentification): (req: Request) => AuthResult | Promise<AuthResult> {
  const { tokens, anonymousScope, throttle } = options;
  const anonymous: AuthResult = anonymousScope
    ? { ok: true, principal: ANONYMOUS_PRINCIPAL, anonymous: true, scope: anonymousScope }
    : { ok: false, status: 401, code: "UNAUTHENTICATED", message: "authentication required: send Authorization: Bearer <token>" };
  const accepted = (identity: TokenIdentity): AuthResult => ({ ok: true, principal: identity.name, anonymous: false, scope: identity.scope });
  const refused = (address: string): AuthResult => {
    throttle.failed(address);
    return { ok: false, status: 401, code: "UNAUTHENTICATED", message: "invalid or revoked token" };
  };
  return (req) => {
    const token = presentedToken(req.headers.authorization, req.headers["x-procgraph-token"] as string | undefined);
    if (token === undefined) return anonymous;
    const cached = tokens.cached(token);
    if (cached) return accepted(cached);
    const address = req.socket.remoteAddress ?? "unknown";
    const retryAfterSeconds = throttle.retryAfterSeconds(address);
    if (retryAfterSeconds > 0) {
      return { ok: false, status: 429, code: "RATE_LIMITED", message: `too many failed authentications from this address; try again in ${retryAfterSeconds} s`, retryAfterSeconds };
    }
    if (cached === null) return refused(address);
    if (!options.databaseAvailable()) return unavailable;
    const deadline = req.deadline ?? Date.now() + options.requestTimeoutMs;
    const bounds = { maxTimeMS: Math.max(1, deadline - Date.now()), signal: abortAtDeadline(deadline) };
    return tokens.resolve(token, bounds).then(
      (identity): AuthResult => (identity ? accepted(identity) : refused(address)),
      (error: unknown): AuthResult => {
        if (isTimeout(error)) return { ok: false, status: REQUEST_FAILURES.TIMEOUT.status, code: "TIMEOUT", message: timeoutMessage(options.requestTimeoutMs) };
        if (!isMongoUnavailable(error)) throw error;
        return unavailable;
      },
    );
  };
}
