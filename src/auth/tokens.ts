import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import type { Collection, Db } from "mongodb";
import { Lru } from "../lru";
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

/** How long a token's answer from MongoDB is trusted: a revoked token is refused within this. */
export const TOKEN_CACHE_TTL_MS = 30_000;
/** Tokens remembered, known and unknown apart, so a flood of unknown ones evicts no known one. */
export const TOKEN_CACHE_ENTRIES = 10_000;

interface CachedIdentity {
  identity: TokenIdentity;
  expiresAt: number;
}

/** What the lookup of a presented token is bounded by: the request's deadline. */
export interface TokenLookupBounds {
  maxTimeMS: number;
  signal: AbortSignal;
}

/**
 * Resolves a presented token to its identity: the operator's file first, then the MongoDB
 * collection. Answers from MongoDB, found or not, are cached for TOKEN_CACHE_TTL_MS in two LRUs of
 * TOKEN_CACHE_ENTRIES each, so a token is read at most once per TTL, a revoked one stops working
 * within it, and random tokens cost one query each at most (the failed-authentication throttle
 * bounds how many of those one client can send).
 */
export class TokenStore {
  private readonly fileTokens: StoredToken[];
  private readonly known: Lru<string, CachedIdentity>;
  private readonly unknown: Lru<string, number>;
  /** Concurrent lookups of one token share one query (bounded by the requests in flight). */
  private readonly lookups = new Map<string, Promise<TokenIdentity | null>>();

  constructor(
    private readonly collection: Collection<StoredToken> | undefined,
    tokensFile: string | undefined,
    private readonly cacheTtlMs = TOKEN_CACHE_TTL_MS,
    cacheEntries = TOKEN_CACHE_ENTRIES,
  ) {
    this.fileTokens = tokensFile ? readTokensFile(tokensFile) : [];
    this.known = new Lru(cacheEntries);
    this.unknown = new Lru(cacheEntries);
  }

  static forDatabase(db: Db, tokensFile: string | undefined): TokenStore {
    return new TokenStore(db.collection<StoredToken>(TOKENS_COLLECTION), tokensFile);
  }

  /** Tokens cached now, known and unknown (for tests and metrics). */
  get cacheSize(): { known: number; unknown: number } {
    return { known: this.known.size, unknown: this.unknown.size };
  }

  /**
   * The answer without MongoDB, when there is one: the identity, `null` for a token that is
   * malformed or known not to exist, `undefined` when only MongoDB can tell.
   */
  cached(token: string): TokenIdentity | null | undefined {
    if (!TOKEN_SYNTAX.test(token)) return null;
    const digest = hashToken(token);
    const fromFile = this.fileTokens.find((t) => sameDigest(t.sha256, digest));
    if (fromFile) return { name: fromFile.name, scope: parseScope(fromFile.scope, `token ${fromFile.name}`) };
    if (!this.collection) return null;
    const now = Date.now();
    const known = this.known.get(digest);
    if (known && known.expiresAt > now) return known.identity;
    const unknownUntil = this.unknown.get(digest);
    if (unknownUntil !== undefined && unknownUntil > now) return null;
    return undefined;
  }

  async resolve(token: string, bounds?: TokenLookupBounds): Promise<TokenIdentity | null> {
    const cached = this.cached(token);
    if (cached !== undefined || !this.collection) return cached ?? null;
    const digest = hashToken(token);
    let lookup = this.lookups.get(digest);
    if (!lookup) {
      lookup = this.lookUp(this.collection, digest, bounds).finally(() => this.lookups.delete(digest));
      this.lookups.set(digest, lookup);
    }
    return lookup;
  }

  private async lookUp(collection: Collection<StoredToken>, digest: string, bounds: TokenLookupBounds | undefined): Promise<TokenIdentity | null> {
    const stored = await collection.findOne({ sha256: digest, disabled: { $ne: true } }, { projection: { _id: 0 }, ...bounds });
    let identity: TokenIdentity | null = null;
    if (stored) {
      try {
        identity = { name: stored.name, scope: parseScope(stored.scope, `token ${stored.name}`) };
      } catch {
        identity = null; // A malformed stored scope grants nothing.
      }
    }
    const expiresAt = Date.now() + this.cacheTtlMs;
    if (identity) {
      this.known.set(digest, { identity, expiresAt });
      this.unknown.delete(digest);
    } else {
      this.unknown.set(digest, expiresAt);
      this.known.delete(digest);
    }
    return identity;
  }
}
