import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import type { Collection, Db } from "mongodb";
import { parseScope, type AccessScope, type ScopeDefinition } from "./scope";

export const TOKENS_COLLECTION = "procgraph_tokens";

/** The token collection's indexes: a lookup by digest on every request, unique names and digests. */
export async function ensureTokenIndexes(db: Db): Promise<void> {
  await db.collection(TOKENS_COLLECTION).createIndexes([
    { key: { sha256: 1 }, unique: true, name: "uniq_sha256" },
    { key: { name: 1 }, unique: true, name: "uniq_name" },
  ]);
}

/** A token as stored: never the token itself, only its SHA-256. */
export interface StoredToken {
  name: string;
  sha256: string;
  scope: ScopeDefinition;
  createdAt?: Date;
  disabled?: boolean;
}

export interface TokenIdentity {
  name: string;
  scope: AccessScope;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** 32 random bytes; the prefix makes a leaked token easy to recognise in a scan. */
export function generateToken(): string {
  return `pgt_${randomBytes(32).toString("base64url")}`;
}

const TOKEN_SYNTAX = /^[A-Za-z0-9._~+/=-]{16,512}$/;

function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}

export function readTokensFile(file: string): StoredToken[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const list = (parsed as { tokens?: unknown }).tokens;
  if (!Array.isArray(list)) throw new Error(`${file}: expected {"tokens": [...]}`);
  return list.map((entry, index) => {
    const where = `${file}: tokens[${index}]`;
    const { name, sha256, scope } = (entry ?? {}) as Partial<StoredToken>;
    if (typeof name !== "string" || name === "") throw new Error(`${where}.name must be a non-empty string`);
    if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`${where}.sha256 must be 64 lowercase hex digits`);
    parseScope(scope, `${where}.scope`);
    return { name, sha256, scope: scope as ScopeDefinition };
  });
}

/**
 * Resolves a presented token to its identity: the operator's file first, then the MongoDB
 * collection (cached briefly, so a revoked token stops working within the TTL).
 */
export class TokenStore {
  private readonly fileTokens: StoredToken[];
  private readonly cache = new Map<string, { identity: TokenIdentity | null; expiresAt: number }>();

  constructor(
    private readonly collection: Collection<StoredToken> | undefined,
    tokensFile: string | undefined,
    private readonly cacheTtlMs = 30_000,
  ) {
    this.fileTokens = tokensFile ? readTokensFile(tokensFile) : [];
  }

  static forDatabase(db: Db, tokensFile: string | undefined): TokenStore {
    return new TokenStore(db.collection<StoredToken>(TOKENS_COLLECTION), tokensFile);
  }

  async resolve(token: string): Promise<TokenIdentity | null> {
    if (!TOKEN_SYNTAX.test(token)) return null;
    const digest = hashToken(token);
    const fromFile = this.fileTokens.find((t) => sameDigest(t.sha256, digest));
    if (fromFile) return { name: fromFile.name, scope: parseScope(fromFile.scope, `token ${fromFile.name}`) };
    if (!this.collection) return null;
    const cached = this.cache.get(digest);
    if (cached && cached.expiresAt > Date.now()) return cached.identity;
    const stored = await this.collection.findOne({ sha256: digest, disabled: { $ne: true } }, { projection: { _id: 0 } });
    let identity: TokenIdentity | null = null;
    if (stored) {
      try {
        identity = { name: stored.name, scope: parseScope(stored.scope, `token ${stored.name}`) };
      } catch {
        identity = null; // A malformed stored scope grants nothing.
      }
    }
    this.cache.set(digest, { identity, expiresAt: Date.now() + this.cacheTtlMs });
    return identity;
  }
}
