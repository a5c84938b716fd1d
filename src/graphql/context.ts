import type { IncomingHttpHeaders } from "node:http";
import type { GraphQLResolveInfo } from "graphql";
import type { Db, Document, MongoClient } from "mongodb";
import type { Logger } from "pino";
import type { AccessScope } from "../auth/scope";
import type { AppConfig } from "../config";
import { abortAtDeadline, boundedQuery, queryTimeLeft, type CallerConnection, type QueryOptions } from "../db/health";
import { LoaderRegistry, type BatchObserver } from "./loaders";

/**
 * The node registry as a request sees it (`NodeRegistry` in nodeRegistry.ts): every domain's Node
 * types, built by the composition root from the module list. `load` hands out typed documents
 * (`asTyped` in node.ts), which the Node interface resolves to their concrete type.
 */
export interface NodeLookup {
  globalIdOf(typename: string, document: Document): string;
  load(ctx: RequestContext, ids: readonly unknown[], info: GraphQLResolveInfo, argumentName: string): Promise<Array<Document | null>>;
}

/** The lookup of a context made without a registry (tools, tests of one store): no node type is known. */
const NO_NODE_TYPES: NodeLookup = {
  globalIdOf: (typename) => {
    throw new Error(`${typename} is not a registered node type (no node registry in AppDeps)`);
  },
  load: () => Promise.reject(new Error("no node registry in AppDeps")),
};

/** What every resolver and REST handler of one request sees. Domains hang their managers off `loaders`. */
export interface RequestContext {
  requestId: string;
  config: AppConfig;
  client: MongoClient;
  db: Db;
  headers: IncomingHttpHeaders;
  logger: Logger;
  loaders: LoaderRegistry;
  /** Who calls (a token's name, or "anonymous"). */
  principal: string;
  /** The request carried no token (the operator allows anonymous reads of `scope`). */
  anonymous: boolean;
  /** What the caller may read; every query path applies it (outside it, things do not exist). */
  scope: AccessScope;
  /** Every domain's Node types (`node`, `nodes`, the `id` field). */
  nodes: NodeLookup;
  /** Epoch milliseconds after which the request is answered with TIMEOUT. */
  deadline: number;
  /**
   * Runs one MongoDB operation of the request: `run` gets the time left as `maxTimeMS` and the
   * signal that ends the operation at the deadline whatever the server does. Once the deadline has
   * passed (or the caller hung up) the promise rejects with DeadlineExceededError (CallerGoneError)
   * and `run` is not called, so no query starts late or in vain. It never throws synchronously (see
   * `boundedQuery`): every direct query of a request goes through it.
   */
  query<T>(run: (options: QueryOptions) => Promise<T>): Promise<T>;
}

export interface AppDeps {
  config: AppConfig;
  client: MongoClient;
  db: Db;
  logger: Logger;
  /** The node registry the composition root built from the module list (src/server.ts). */
  nodes?: NodeLookup;
}

export interface RequestAccess {
  principal: string;
  anonymous: boolean;
  scope: AccessScope;
}

/** The HTTP request a context serves (an Express request has these). */
export interface IncomingRequest {
  requestId: string;
  headers: IncomingHttpHeaders;
  /** Set on arrival, so that time spent waiting for admission counts against it. */
  deadline?: number;
  /** The caller's socket: once it is closed, the request sends no more queries. */
  socket?: CallerConnection;
}

/**
 * A class, not an object literal: Apollo clones the context of every operation with
 * `Object.assign`, which would run an own getter (making the child logger eagerly) and copy a
 * dictionary-mode object; the clone keeps this prototype, so `logger` stays lazy.
 */
class OperationContext implements RequestContext {
  readonly config: AppConfig;
  readonly client: MongoClient;
  readonly db: Db;
  readonly headers: IncomingHttpHeaders;
  readonly loaders: LoaderRegistry;
  readonly principal: string;
  readonly anonymous: boolean;
  readonly scope: AccessScope;
  readonly nodes: NodeLookup;
  readonly requestId: string;
  private readonly rootLogger: Logger;
  private childLogger: Logger | undefined = undefined;
  private readonly connection: CallerConnection | undefined;
  // Made by the first query: most trivial operations send none.
  private deadlineSignal: AbortSignal | undefined = undefined;

  constructor(
    deps: AppDeps,
    request: IncomingRequest,
    access: RequestAccess,
    readonly deadline: number,
    batchObserver: BatchObserver | undefined,
  ) {
    this.rootLogger = deps.logger;
    this.requestId = request.requestId;
    this.config = deps.config;
    this.client = deps.client;
    this.db = deps.db;
    this.headers = request.headers;
    this.connection = request.socket;
    this.loaders = new LoaderRegistry({ batchObserver, bounds: this.bounds });
    this.principal = access.principal;
    this.anonymous = access.anonymous;
    this.scope = access.scope;
    this.nodes = deps.nodes ?? NO_NODE_TYPES;
  }

  // Most requests never log: the child logger is made on first use.
  get logger(): Logger {
    this.childLogger ??= this.rootLogger.child({ requestId: this.requestId });
    return this.childLogger;
  }

  query<T>(run: (options: QueryOptions) => Promise<T>): Promise<T> {
    return boundedQuery(this.bounds, run);
  }

  /** The bounds of one operation started now (throws once no operation may start). */
  private readonly bounds = (): QueryOptions => ({ maxTimeMS: this.timeLeft(), signal: this.signal() });

  private signal(): AbortSignal {
    this.deadlineSignal ??= abortAtDeadline(this.deadline);
    return this.deadlineSignal;
  }

  private timeLeft(): number {
    return queryTimeLeft(this.deadline, this.connection);
  }
}

export function createRequestContext(deps: AppDeps, request: IncomingRequest, access: RequestAccess, batchObserver?: BatchObserver): RequestContext {
  const deadline = request.deadline ?? Date.now() + deps.config.requestTimeoutMs;
  return new OperationContext(deps, request, access, deadline, batchObserver);
}
