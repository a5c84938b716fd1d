import type { IncomingHttpHeaders } from "node:http";
import type { Db, MongoClient } from "mongodb";
import type { Logger } from "pino";
import type { AppConfig } from "../config";
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
}

export interface AppDeps {
  config: AppConfig;
  client: MongoClient;
  db: Db;
  logger: Logger;
}

export function createRequestContext(
  deps: AppDeps,
  requestId: string,
  headers: IncomingHttpHeaders,
  batchObserver?: BatchObserver,
): RequestContext {
  return { ...deps, requestId, headers, logger: deps.logger.child({ requestId }), loaders: new LoaderRegistry(batchObserver) };
}
