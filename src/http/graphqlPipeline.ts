import { performance } from "node:perf_hooks";
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { Request, RequestHandler, Response } from "express";
import { GraphQLError, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { retryAfterHeaders, type AuthResult } from "../auth/authenticate";
import { SERVICE_UNAVAILABLE_MESSAGE, upstreamFailure, type MongoHealth } from "../db/health";
import { createRequestContext, type AppDeps, type RequestContext } from "../graphql/context";
import { ErrorCode, isRequestFailureCode, requestFailureStatus, type RequestFailureCode } from "../graphql/errors";
import { LimitCode, queryLimitsPlugin, tokenLimitRefusal } from "../graphql/limits";
import { Lru } from "../lru";
import type { Metrics } from "../observability/metrics";
import type { Admission, OverloadResponder } from "./admission";
import { apolloHandler } from "./apolloHandler";
import { readBodyWithin } from "./body";
import { jsonBody } from "./jsonBody";
import { sendPlayground, wantsPlayground } from "./playground";

/** The largest GraphQL request body (1 MiB): a document and its variables, never data. */
const GRAPHQL_BODY_LIMIT_BYTES = 1024 * 1024;

/** Parsed and validated documents kept per GraphQL endpoint: dashboards send a few dozen. */
const CACHED_DOCUMENTS = 1_000;

/**
 * Apollo's cache of parsed and validated documents, bounded by count. Its default bounds their
 * JSON size (30 MiB), but a parsed document in memory (its AST and the token list its locations
 * keep) is about ten times its JSON: a flood of made-up operations grew it by hundreds of MiB.
 */
function documentStore(maxEntries = CACHED_DOCUMENTS) {
  const documents = new Lru<string, DocumentNode>(maxEntries);
  return {
    get: async (key: string) => documents.get(key),
    set: async (key: string, document: DocumentNode) => documents.set(key, document),
    delete: async (key: string) => documents.delete(key),
  };
}

/** A handler made on its first request (concurrent first requests wait for the same one). */
export function lazyHandler(make: () => Promise<RequestHandler>): RequestHandler {
  let handler: Promise<RequestHandler> | undefined;
  return (req, res, next) => {
    handler ??= make();
    handler.then((ready) => ready(req, res, next), next);
  };
}

/**
 * Errors a resolver throws on purpose are GraphQLErrors with a code; anything else is a bug or an
 * outage whose text may leak internals, so the client gets a generic message and the request id.
 */
export function formatError(deps: Pick<AppDeps, "logger" | "config">) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    const failure = upstreamFailure(original, deps.config.requestTimeoutMs);
    if (failure) return { message: failure.message, locations: formatted.locations, path: formatted.path, extensions: { code: failure.code } };
    if (extensions.code === "GRAPHQL_PARSE_FAILED") {
      const refusal = tokenLimitRefusal(formatted.message, deps.config.limits.maxTokens);
      if (refusal) return { message: refusal.message, extensions: { code: refusal.code, limit: { name: "tokens", max: deps.config.limits.maxTokens } } };
    }
    const intentional = original instanceof GraphQLError || extensions.code !== ErrorCode.Internal;
    if (intentional) return { ...formatted, extensions };
    deps.logger.error({ err: original, path: formatted.path }, "resolver failed");
    return { message: "Internal server error", locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.Internal } };
  };
}

const REFUSAL_CODES = new Set<string>([...Object.values(LimitCode), "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"]);

/**
 * Per request, when the response is ready: the request id on every masked error (a user can quote
 * it, an operator grep for it); the request counter and duration by operation name and outcome;
 * then the request-level failure rule (README, "Running in production"): a response whose every
 * root field failed for a server-side reason (TIMEOUT, SERVICE_UNAVAILABLE) carries no data, so it
 * is answered 504 or 503 (with Retry-After where it applies) without a `data` entry, as the
 * GraphQL-over-HTTP spec asks of a response without data; a partial result stays 200. One plugin
 * for both: Apollo calls every plugin's hooks on every request.
 */
function responsePlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request }) {
      const startedAt = performance.now();
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          let outcome = "success";
          const result = response.body.kind === "single" ? response.body.singleResult : undefined;
          const errors = result?.errors;
          if (errors && errors.length > 0) {
            for (const error of errors) {
              if (error.extensions?.code === ErrorCode.Internal) (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
            outcome = errors.every((e) => REFUSAL_CODES.has(String(e.extensions?.code))) ? "refused" : "error";
          }
          const labels = { operation: metrics.operationLabels.label(operationName ?? request.operationName), outcome };
          metrics.graphqlRequests.inc(labels);
          metrics.graphqlDuration.observe(labels, (performance.now() - startedAt) / 1000);
          if (result && errors && errors.length > 0) answerRequestFailure(response.http, result, errors);
        },
      };
    },
  };
}

/** The failure rule of `responsePlugin`, for a single result with errors. */
function answerRequestFailure(http: { status?: number; headers: Map<string, string> }, result: { data?: unknown }, errors: readonly GraphQLFormattedError[]): void {
  const codes = errors.map((error) => error.extensions?.code);
  if (!codes.every(isRequestFailureCode)) return;
  const data = result.data as Record<string, unknown> | null | undefined;
  const failedKeys = new Set(errors.map((error) => error.path?.[0]));
  const noData = data === null || data === undefined || Object.entries(data).every(([key, value]) => value === null && failedKeys.has(key));
  if (!noData) return;
  const code: RequestFailureCode = codes.includes("SERVICE_UNAVAILABLE") ? "SERVICE_UNAVAILABLE" : (codes[0] as RequestFailureCode);
  http.status = requestFailureStatus({ setHeader: (name, value) => http.headers.set(name, value) }, code);
  delete result.data;
}

/** A GraphQL request error procgraph answers itself, in the media type the client asked for (as Apollo would). */
export function sendGraphqlError(req: Request, res: Response, status: number, message: string, code: string): void {
  const type = req.accepts(["application/json", "application/graphql-response+json"]) || "application/json";
  res.status(status).type(type).send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** Makes the Apollo server of one GraphQL endpoint (`schema`), plus endpoint-specific plugins. */
export type ApolloFactory = (schema: GraphQLSchema, extraPlugins?: ApolloServerPlugin<RequestContext>[]) => ApolloServer<RequestContext>;

/** One Apollo setup for every GraphQL endpoint: the same masking, limits, metrics and options. */
export function apolloFactory(deps: AppDeps, metrics: Metrics): ApolloFactory {
  const { config } = deps;
  return (endpointSchema, extraPlugins = []) =>
    new ApolloServer<RequestContext>({
      schema: endpointSchema,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: false,
      introspection: config.introspection,
      // "Did you mean …" suggestions would describe the schema to a caller who may not see it.
      hideSchemaDetailsFromClientErrors: config.production,
      parseOptions: { maxTokens: config.limits.maxTokens },
      documentStore: documentStore(),
      formatError: formatError(deps),
      // Apollo's default re-raises SIGINT/SIGTERM after stopping itself, killing the process before
      // procgraph's own shutdown has drained the requests in flight (src/index.ts).
      stopOnTerminationSignals: false,
      plugins: [
        ...extraPlugins,
        // Apollo's own landing page loads from a CDN; ours is served locally (see playground.ts).
        ApolloServerPluginLandingPageDisabled(),
        // We set no cache hints (POSTed queries are not HTTP-cached), and Apollo's default cache
        // control plugin wraps every field's resolver: a fifth of a 500-row page's allocations.
        ApolloServerPluginCacheControlDisabled(),
        queryLimitsPlugin(config.limits, (limit) => metrics.refused(limit)),
        responsePlugin(metrics),
      ],
    });
}

export interface GraphqlPipeline {
  health: MongoHealth;
  admission: Admission;
  identify(req: Request): AuthResult | Promise<AuthResult>;
  observeBatch(collection: string, keys: number): void;
}

/**
 * The handler of one GraphQL endpoint, one Express layer (each layer costs every request a path
 * match): the body is read first, within REQUEST_BODY_TIMEOUT_MS (a slow upload holds no slot),
 * then the request is admitted, and only then authenticated (which may read MongoDB) and executed
 * with its request context. The slot is held until Apollo is done.
 */
export function graphqlEndpointFactory(deps: AppDeps, pipeline: GraphqlPipeline) {
  const { health, admission, identify, observeBatch } = pipeline;
  const databaseAvailable = () => health.available;
  const refuseGraphql: OverloadResponder = (res, overload) => {
    sendGraphqlError(res.req, res, overload.status, overload.message, overload.code);
  };
  const readBody = readBodyWithin(jsonBody(GRAPHQL_BODY_LIMIT_BYTES), deps.config.requestBodyTimeoutMs, (req, res, message) =>
    sendGraphqlError(req, res, 408, message, "BODY_TIMEOUT"),
  );
  return (server: ApolloServer<RequestContext>, endpoint: { playground: boolean }): RequestHandler => {
    const execute = apolloHandler(server, async (req) => {
      // While MongoDB is down every request would fail after server selection: fail at once.
      if (!health.available) {
        // Thrown before Apollo's request pipeline (no plugin sees it): the failure rule's status and header here.
        const headers = new HeaderMap();
        const status = requestFailureStatus({ setHeader: (name, value) => headers.set(name, value) }, ErrorCode.ServiceUnavailable);
        throw new GraphQLError(SERVICE_UNAVAILABLE_MESSAGE, { extensions: { code: ErrorCode.ServiceUnavailable, http: { status, headers } } });
      }
      if (!req.auth.ok) {
        throw new GraphQLError(req.auth.message, { extensions: { code: req.auth.code, http: { status: req.auth.status, ...(req.auth.retryAfterSeconds ? { headers: retryAfterHeaders(req.auth) } : {}) } } });
      }
      return createRequestContext(deps, req, req.auth, observeBatch);
    });
    return (req, res, next) => {
      // The paths below the endpoint (/graphql/stream, /graphql/federation) are other handlers'.
      if (req.path !== "/") return next();
      // A browser opening the endpoint gets the playground; GET queries go on to Apollo.
      if (endpoint.playground && wantsPlayground(req)) return sendPlayground(req, res);
      readBody(req, res, (bodyError?: unknown) => {
        if (bodyError) return next(bodyError);
        // While MongoDB does not answer, a request would only wait in the queue to fail.
        if (!databaseAvailable()) {
          return refuseGraphql(res, { code: "SERVICE_UNAVAILABLE", reason: "deadline", message: SERVICE_UNAVAILABLE_MESSAGE, status: requestFailureStatus(res, "SERVICE_UNAVAILABLE") });
        }
        admission.admit(req, res, refuseGraphql, () => {
          // Without an await where identification answers from memory (anonymous, a cached token).
          try {
            const auth = identify(req);
            if (auth instanceof Promise) {
              return auth.then((identified) => {
                req.auth = identified;
                return execute(req, res);
              }).catch(next);
            }
            req.auth = auth;
            return execute(req, res).catch(next);
          } catch (error) {
            next(error);
            return Promise.resolve();
          }
        });
      });
    };
  };
}
