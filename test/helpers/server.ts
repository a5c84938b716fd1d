import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import pino from "pino";
import { loadConfig, type AppConfig } from "../../src/config";
import { startProcgraph, type RunningProcgraph } from "../../src/server";
import type { TestDatabase } from "./db";

export interface TestServer {
  readonly url: string;
  readonly running: RunningProcgraph;
  /** POSTs a typed document to /graphql and returns the parsed body. */
  graphql<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables?: TVariables,
    headers?: Record<string, string>,
  ): Promise<ExecutionResult<TResult> & { status: number }>;
  /** A raw HTTP request, for REST endpoints and error paths. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Starts procgraph (port 0) on the test file's database. Use after `useTestDatabase()`. The health
 * sampler is off unless `env` sets HEALTH_HISTORY_INTERVAL (its writes would race recorded commands).
 */
export function useTestServer(database: TestDatabase, env: Record<string, string> = {}): TestServer {
  let running: RunningProcgraph | undefined;

  beforeAll(async () => {
    const config: AppConfig = {
      ...loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", SEED_DEMO: "false", HEALTH_HISTORY_INTERVAL: "off", ...env }),
      mongodbDb: database.db.databaseName,
    };
    running = await startProcgraph(config, {
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      connection: { client: database.client, db: database.db },
    });
  });
  afterAll(async () => {
    await running?.stop();
  });

  const server: TestServer = {
    get url() {
      if (!running) throw new Error("test server used before beforeAll");
      return running.url;
    },
    get running() {
      if (!running) throw new Error("test server used before beforeAll");
      return running;
    },
    async graphql(document, variables, headers = {}) {
      const response = await server.request("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return { ...((await response.json()) as ExecutionResult<never>), status: response.status };
    },
    request(path, init) {
      return fetch(`${server.url}${path}`, init);
    },
  };
  return server;
}
