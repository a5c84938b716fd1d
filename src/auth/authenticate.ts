import type { Request } from "express";
import type { RequestAccess } from "../graphql/context";
import { isMongoUnavailable, SERVICE_UNAVAILABLE_MESSAGE } from "../db/health";
import type { AccessScope } from "./scope";
import type { TokenStore } from "./tokens";

export type AuthResult =
  | { ok: true; principal: string; anonymous: boolean; scope: AccessScope }
  | { ok: false; status: 401 | 503; code: "UNAUTHENTICATED" | "SERVICE_UNAVAILABLE"; message: string };

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

/**
 * Who is calling: a token's identity, or anonymous where the operator allows it. Never rejects
 * for a bad token or an outage (those are results); other errors are bugs and do reject. It
 * answers nothing itself: GraphQL and each REST family report a failure in their own shape.
 */
export function identifyCaller(tokens: TokenStore, anonymousScope: AccessScope | undefined): (req: Request) => AuthResult | Promise<AuthResult> {
  const anonymous: AuthResult = anonymousScope
    ? { ok: true, principal: ANONYMOUS_PRINCIPAL, anonymous: true, scope: anonymousScope }
    : { ok: false, status: 401, code: "UNAUTHENTICATED", message: "authentication required: send Authorization: Bearer <token>" };
  return (req) => {
    const token = presentedToken(req.headers.authorization, req.headers["x-procgraph-token"] as string | undefined);
    if (token === undefined) return anonymous;
    return tokens.resolve(token).then(
      (identity): AuthResult =>
        identity
          ? { ok: true, principal: identity.name, anonymous: false, scope: identity.scope }
          : { ok: false, status: 401, code: "UNAUTHENTICATED", message: "invalid or revoked token" },
      (error: unknown): AuthResult => {
        if (!isMongoUnavailable(error)) throw error;
        return { ok: false, status: 503, code: "SERVICE_UNAVAILABLE", message: SERVICE_UNAVAILABLE_MESSAGE };
      },
    );
  };
}
