import type { IncomingHttpHeaders } from "node:http";
import type { Db, MongoClient } from "mongodb";
import type { Logger } from "pino";
import type { AccessScope } from "../auth/scope";
import type { AppConfig } from "../config";
import { DeadlineExceededError } from "../db/health";
import { LoaderRegistry, type BatchObserver } from "./loaders";

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
  /** Epoch milliseconds after which the request is answered with TIMEOUT. */
  deadline: number;
  /**
   * Options for every find/aggregate/count of the request: the time left as `maxTimeMS`. Throws
   * DeadlineExceededError once the deadline has passed, so no query starts late.
   */
  queryTimeout(): { maxTimeMS: number };
}

export interface AppDeps {
  config: AppConfig;
  client: MongoClient;
  db: Db;
  logger: Logger;
}

export interface RequestAccess {
  principal: string;
  anonymous: boolean;
  scope: AccessScope;
}

// One bounded Db handle per connection: creating it per request showed up in throughput profiles.
const boundedDbs = new WeakMap<Db, Db>();
function boundedDb(deps: AppDeps): Db {
  let db = boundedDbs.get(deps.db);
  if (!db) {
    db = deps.client.db(deps.db.databaseName, { timeoutMS: deps.config.requestTimeoutMs });
    boundedDbs.set(deps.db, db);
  }
  return db;
}

/** The HTTP request a context serves (an Express request has these). */
export interface IncomingRequest {
  requestId: string;
  headers: IncomingHttpHeaders;
  /** Set on arrival, so that time spent waiting for admission counts against it. */
  deadline?: number;
}

export function createRequestContext(deps: AppDeps, request: IncomingRequest, access: RequestAccess, batchObserver?: BatchObserver): RequestContext {
  const { requestId, headers } = request;
  const deadline = request.deadline ?? Date.now() + deps.config.requestTimeoutMs;
  let logger: Logger | undefined;
  return {
    ...deps,
    // Bounds the request's non-cursor commands client-side too (the driver's CSOT).
    db: boundedDb(deps),
    queryTimeout() {
      const maxTimeMS = deadline - Date.now();
      if (maxTimeMS <= 0) throw new DeadlineExceededError("the request's deadline passed");
      return { maxTimeMS };
    },
    requestId,
    headers,
    deadline,
    // Most requests never log: the child logger is made on first use.
    get logger() {
      logger ??= deps.logger.child({ requestId });
      return logger;
    },
    loaders: new LoaderRegistry({ batchObserver, deadline }),
    principal: access.principal,
    anonymous: access.anonymous,
    scope: access.scope,
  };
}
