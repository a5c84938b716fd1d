import type { Response, Router } from "express";
import type { Db } from "mongodb";
import type { AppDeps } from "../graphql/context";
import type { NodeTypeSpec } from "../graphql/node";
import type { ProgressReporter } from "../seed/progress";

export interface RestRefusal {
  /** 401, 429 and 503 (with Retry-After set), 504, 408 for BODY_TIMEOUT, 400/413/415 for BAD_BODY. */
  status: number;
  /**
   * OVERLOADED: the server is at MAX_CONCURRENT_REQUESTS with MAX_QUEUED_REQUESTS waiting, or the
   * wait reached the deadline. RATE_LIMITED: too many failed authentications from the address
   * (the responder has set Retry-After). BODY_TIMEOUT: the body did not arrive within
   * REQUEST_BODY_TIMEOUT_MS. BAD_BODY: a body the parser refused (too large, unsupported charset or encoding).
   */
  code: "UNAUTHENTICATED" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "TIMEOUT" | "OVERLOADED" | "BODY_TIMEOUT" | "BAD_BODY";
  message: string;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ResolverClass = Function;

export interface SeedDeps extends AppDeps {
  progress: ProgressReporter;
}

/**
 * One domain of the graph (CMDB, PaaS, ...). The server, the schema printer, the seeders and the
 * tests all read the list in `modules/index.ts`, so a domain is added in exactly one place.
 */
export interface DomainModule {
  name: string;
  resolvers: ResolverClass[];
  /** Types reachable only through interfaces, which type-graphql would otherwise leave out. */
  orphanedTypes?: ResolverClass[];
  /** The entity types this domain serves through `node`/`nodes` (each implements `Node`). */
  nodeTypes?: readonly NodeTypeSpec[];
  /** REST compatibility endpoints, mounted at the server root. */
  restRouter?(deps: AppDeps): Router;
  /** The largest request body those endpoints read (body-parser's `limit`; default 1mb); read as text before admission. */
  restBodyLimit?: string;
  /** Path prefixes of those endpoints: requests under them are authenticated before the router runs. */
  restPrefixes?: readonly string[];
  /** Answers a request refused before the router (no token, MongoDB down, overload) in this API's own error shape. */
  restError?(res: Response, error: RestRefusal): void;
  /** The small demo dataset `npm start` writes on first start of an empty database. */
  seedDemo?(deps: SeedDeps): Promise<void>;
  /** `npm run seed -- <name> [options]`: returns a usage line when the options are wrong. */
  seedCommand?(deps: SeedDeps, argv: string[]): Promise<void>;
  /**
   * Creates the indexes of the collections this domain owns (procgraph's own, whoever wrote their
   * data): run on every start, idempotent, a few cheap commands when they exist.
   */
  ensureOwnIndexes?(db: Db): Promise<void>;
  /**
   * Creates the indexes of collections this domain reads but does not own (bk-cmdb's), only after
   * procgraph seeded demo data into them; otherwise only on request (`npm run seed -- cmdb --indexes-only`).
   */
  ensureSeededIndexes?(db: Db, deps: AppDeps): Promise<void>;
  /** Work the server does in the background while it runs (e.g. sampling); returns its stop function. */
  startBackground?(deps: AppDeps): () => Promise<void>;
}
