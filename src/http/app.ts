import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { performance } from "node:perf_hooks";
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { GraphQLError, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { identifyCaller, type AuthFailure } from "../auth/authenticate";
import { FailedAuthThrottle } from "../auth/throttle";
import { TokenStore } from "../auth/tokens";
import { SERVICE_UNAVAILABLE_MESSAGE, upstreamFailure, type MongoHealth } from "../db/health";
import { createRequestContext, type AppDeps, type RequestContext } from "../graphql/context";
import { ErrorCode, isRequestFailureCode, requestFailureStatus, type RequestFailureCode } from "../graphql/errors";
import { LimitCode, queryLimitsPlugin, tokenLimitRefusal } from "../graphql/limits";
import { getSchema } from "../graphql/schema";
import { Lru } from "../lru";
import type { DomainModule, RestRefusal } from "../modules/types";
import { Metrics } from "../observability/metrics";
import type { ClusterStatus } from "../paas/sync/sync";
import { federationSchema } from "../portal/federation";
import { requestLogger } from "../observability/requestLog";
import { Admission, type OverloadResponder } from "./admission";
import { readBodyWithin } from "./body";
import { corsAllowlist } from "./cors";
import { dashboardRouter } from "./dashboard";
import { playgroundAssets, sendPlayground, wantsPlayground } from "./playground";
import { LiveService } from "../live/service";
import { attachLiveTransports } from "../live/transports";
import { paasWatchHandler } from "../live/watchRoute";
import { sendPaasError } from "../paas/rest/router";

declare module "express-serve-static-core" {
  interface Request {
    requestId: string;
    /** Epoch milliseconds: arrival plus REQUEST_TIMEOUT_MS, so waiting for admission counts too. */
    deadline: number;
  }
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every request's first step: starts its deadline, accepts a caller's `x-request-id` (so logs
 * correlate across services) or makes one, and logs the request when it is answered.
 */
const startRequest = (requestTimeoutMs: number, logRequest: (req: Request, res: Response) => void): RequestHandler => (req, res, next) => {
  req.deadline = Date.now() + requestTimeoutMs;
  const given = req.headers["x-request-id"];
  req.requestId = typeof given === "string" && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  res.setHeader("x-request-id", req.requestId);
  logRequest(req, res);
  next();
};

export { SERVICE_UNAVAILABLE_MESSAGE };

/** /readyz answers within a second: this for MongoDB's ping, the rest for HTTP. */
const READY_PING_TIMEOUT_MS = 900;

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

/** The Retry-After of a rate-limited caller, as Apollo's `extensions.http.headers` takes it. */
function retryAfter(failure: AuthFailure): Map<string, string> | undefined {
  return failure.retryAfterSeconds ? new Map([["retry-after", String(failure.retryAfterSeconds)]]) : undefined;
}

/** A handler made on its first request (concurrent first requests wait for the same one). */
function lazyHandler(make: () => Promise<RequestHandler>): RequestHandler {
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
 * Per request: the request id on every masked error (a user can quote it, an operator grep for
 * it), and the request counter and duration by operation name and outcome.
 */
function requestOutcomePlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request }) {
      const startedAt = performance.now();
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          let outcome = "success";
          if (response.body.kind === "single") {
            const errors = response.body.singleResult.errors ?? [];
            for (const error of errors) {
              if (error.extensions?.code === ErrorCode.Internal) (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
            if (errors.length > 0) outcome = errors.every((e) => REFUSAL_CODES.has(String(e.extensions?.code))) ? "refused" : "error";
          }
          const labels = { operation: metrics.operationLabels.label(operationName ?? request.operationName), outcome };
          metrics.graphqlRequests.inc(labels);
          metrics.graphqlDuration.observe(labels, (performance.now() - startedAt) / 1000);
        },
      };
    },
  };
}

/**
 * The request-level failure rule (README, "Running in production") for GraphQL: a response whose
 * every root field failed for a server-side reason (TIMEOUT, SERVICE_UNAVAILABLE) carries no data,
 * so it is answered 504 or 503 (with Retry-After where it applies) without a `data` entry, as the
 * GraphQL-over-HTTP spec asks of a response without data; a partial result stays 200.
 */
function requestFailurePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const codes = (result.errors ?? []).map((error) => error.extensions?.code);
          if (codes.length === 0 || !codes.every(isRequestFailureCode)) return;
          const data = result.data as Record<string, unknown> | null | undefined;
          const failedKeys = new Set((result.errors ?? []).map((error) => error.path?.[0]));
          const noData = data === null || data === undefined || Object.entries(data).every(([key, value]) => value === null && failedKeys.has(key));
          if (!noData) return;
          const code: RequestFailureCode = codes.includes("SERVICE_UNAVAILABLE") ? "SERVICE_UNAVAILABLE" : (codes[0] as RequestFailureCode);
          response.http.status = requestFailureStatus({ setHeader: (name, value) => response.http.headers.set(name, value) }, code);
          delete result.data;
        },
      };
    },
  };
}

/** A GraphQL request error procgraph answers itself, in the media type the client asked for (as Apollo would). */
function sendGraphqlError(req: Request, res: Response, status: number, message: string, code: string): void {
  const type = req.accepts(["application/json", "application/graphql-response+json"]) || "application/json";
  res.status(status).type(type).send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

export interface HttpApp {
  app: Express;
  apollo: ApolloServer<RequestContext>;
  metrics: Metrics;
  /** /readyz answers 503 from now on (graceful shutdown has begun). */
  markShuttingDown(): void;
  live: LiveService;
  /** Completes every subscription and closes the WebSocket server (first step of shutdown). */
  closeLive(): Promise<void>;
}

export interface HttpAppOptions {
  /** The domains served (the composition root's list, `src/modules/index.ts`). */
  modules: readonly DomainModule[];
  health: MongoHealth;
  metrics?: Metrics;
  /** Each configured Kubernetes cluster's watch state, reported by /readyz. */
  syncStatus?: () => ClusterStatus[];
}

export async function createHttpApp(deps: AppDeps, httpServer: Server, options: HttpAppOptions): Promise<HttpApp> {
  const { config } = deps;
  const metrics = options.metrics ?? new Metrics();
  const schema = await getSchema(options.modules);
  // One Apollo setup for every GraphQL endpoint: the same masking, limits, metrics and options.
  const apolloServer = (endpointSchema: GraphQLSchema, extraPlugins: ApolloServerPlugin<RequestContext>[] = []) =>
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
        requestOutcomePlugin(metrics),
        requestFailurePlugin(),
      ],
    });
  // No ApolloServerPluginDrainHttpServer: it tracks every request, yet only acts on apollo.stop(),
  // and startProcgraph's stop() drains the HTTP server itself.
  const apollo = apolloServer(schema);
  await apollo.start();
  const stopMongoMetrics = metrics.instrumentMongoClient(deps.client);
  httpServer.once("close", stopMongoMetrics);

  let shuttingDown = false;
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // No ETag on JSON answers: Express would hash every body (a 500-row page too) for POSTs, which
  // are never revalidated. The playground's static files keep theirs (sendFile sets its own).
  app.set("etag", false);
  app.use(startRequest(config.requestTimeoutMs, requestLogger(deps.logger, metrics)));
  app.use(corsAllowlist(config.corsOrigins));

  const tokens = TokenStore.forDatabase(deps.db, config.tokensFile);
  const throttle = new FailedAuthThrottle();
  metrics.observeAuthState(() => ({ ...tokens.cacheSize, throttled_addresses: throttle.trackedAddresses }));
  const databaseAvailable = () => options.health.available;
  const identify = identifyCaller({ tokens, anonymousScope: config.anonymousScope, throttle, databaseAvailable, requestTimeoutMs: config.requestTimeoutMs });
  const observeBatch = (collection: string, keys: number) => metrics.loaderBatchSize.observe({ collection }, keys);

  // A wait that ran out while MongoDB left commands unanswered for a second was a wait for MongoDB.
  const admission = new Admission(config.admission, config.requestTimeoutMs, metrics, () => options.health.available && !options.health.silentFor(1_000));
  const refuseGraphql: OverloadResponder = (res, overload) => {
    sendGraphqlError(res.req, res, overload.status, overload.message, overload.code);
  };
  const jsonBody = readBodyWithin(express.json({ limit: "1mb" }), config.requestBodyTimeoutMs, (req, res, message) =>
    sendGraphqlError(req, res, 408, message, "BODY_TIMEOUT"),
  );

  // Subscriptions (docs/graph.md "Live updates"): graphql-ws on /graphql, graphql-sse at /graphql/stream.
  const live = new LiveService(deps, { bufferSize: config.live.bufferSize, reauthorizeEveryMs: config.live.reauthorizeEveryMs }, {
    subscriptionStarted: (transport) => metrics.subscriptionsActive.inc({ transport }),
    subscriptionEnded: (transport) => metrics.subscriptionsActive.dec({ transport }),
    eventSent: (field) => metrics.subscriptionEvents.inc({ field }),
    eventDropped: (reason, count) => metrics.subscriptionEventsDropped.inc({ reason }, count),
    eventExecuted: (shared) => metrics.subscriptionExecutions.inc({ shared: shared ? "true" : "false" }),
  });
  await live.announce();
  const maskError = formatError(deps);
  const liveTransports = attachLiveTransports(deps, httpServer, {
    schema,
    live,
    metrics,
    identify: (caller) => identify(caller as Request),
    stillValid: async (caller) => (await identify(caller as Request)).ok,
    maxPerConnection: config.live.maxPerConnection,
    formatError: (error) => {
      const formatted = maskError(error.toJSON(), error);
      return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
    },
  });
  app.use("/graphql/stream", liveTransports.sse);
  /**
   * One Express layer per endpoint (each layer costs every request a path match): the body is read
   * first, within REQUEST_BODY_TIMEOUT_MS (a slow upload holds no slot), then the request is
   * admitted, and only then authenticated (which may read MongoDB) and executed. The slot is held
   * until Apollo is done.
   */
  const graphqlEndpoint = (server: ApolloServer<RequestContext>, endpoint: { playground: boolean }): RequestHandler => {
    const execute = expressMiddleware(server, {
      context: async ({ req }) => {
        // While MongoDB is down every request would fail after server selection: fail at once.
        if (!options.health.available) {
          // Thrown before Apollo's request pipeline (no plugin sees it): the failure rule's status and header here.
          const headers = new HeaderMap();
          const status = requestFailureStatus({ setHeader: (name, value) => headers.set(name, value) }, ErrorCode.ServiceUnavailable);
          throw new GraphQLError(SERVICE_UNAVAILABLE_MESSAGE, { extensions: { code: ErrorCode.ServiceUnavailable, http: { status, headers } } });
        }
        if (!req.auth.ok) throw new GraphQLError(req.auth.message, { extensions: { code: req.auth.code, http: { status: req.auth.status, ...(req.auth.retryAfterSeconds ? { headers: retryAfter(req.auth) } : {}) } } });
        return createRequestContext(deps, req, req.auth, observeBatch);
      },
    });
    return (req, res, next) => {
      // A browser opening the endpoint gets the playground; GET queries go on to Apollo.
      if (endpoint.playground && wantsPlayground(req) && req.path === "/") return sendPlayground(req, res);
      jsonBody(req, res, (bodyError?: unknown) => {
        if (bodyError) return next(bodyError);
        // While MongoDB does not answer, a request would only wait in the queue to fail.
        if (!databaseAvailable()) {
          return refuseGraphql(res, { code: "SERVICE_UNAVAILABLE", reason: "deadline", message: SERVICE_UNAVAILABLE_MESSAGE, status: requestFailureStatus(res, "SERVICE_UNAVAILABLE") });
        }
        admission.admit(req, res, refuseGraphql, async () => {
          try {
            req.auth = await identify(req);
            await execute(req, res, next);
          } catch (error) {
            next(error);
          }
        });
      });
    };
  };
  // Before /graphql, which would otherwise take /graphql/federation as a path below it.
  app.use("/graphql/federation", lazyHandler(async () => {
    // The Apollo Federation v2 subgraph of the same graph (docs/portal.md), built on its first
    // request: most deployments never federate, and it holds about 15 MB.
    // No inline tracing: it would hand any caller per-field timings (ftv1) of the subgraph.
    const federation = apolloServer(federationSchema(schema), [ApolloServerPluginInlineTraceDisabled()]);
    await federation.start();
    return graphqlEndpoint(federation, { playground: false });
  }));
  app.use("/graphql", graphqlEndpoint(apollo, { playground: true }));

  // After the GraphQL endpoints, which most requests are for: each layer before them costs every
  // request a path match. None of these is ever queued behind the admission control.
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (shuttingDown) {
      res.status(503).json({ status: "unavailable", reason: "shutting down" });
      return;
    }
    // Within a second, whatever MongoDB does: a load balancer's probe must not hang.
    // Reads stay served while a cluster's watch reconnects: its state is reported, not gated on.
    if (await options.health.ping(READY_PING_TIMEOUT_MS)) res.json(options.syncStatus ? { status: "ready", paasSync: options.syncStatus() } : { status: "ready" });
    else res.status(503).json({ status: "unavailable", reason: `MongoDB does not answer ping within ${READY_PING_TIMEOUT_MS} ms` });
  });
  app.get("/metrics", async (_req, res) => {
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  app.use("/playground", playgroundAssets());
  app.use(dashboardRouter());
  app.get("/", (req, res, next) => (wantsPlayground(req) ? sendPlayground(req, res) : next()));

  // bk-paas's processes watch (docs/paas.md "Watch"): long-lived, so it holds no admission slot.
  const watch = paasWatchHandler(deps, live, identify, sendPaasError);
  app.get("/api/bkapps/applications/:app_code/modules/:module_name/envs/:environment/processes/watch/", watch);
  app.get("/api/bkapps/applications/:app_code/envs/:environment/processes/watch/", watch);

  for (const module of options.modules) {
    if (!module.restRouter) continue;
    const prefixes = module.restPrefixes ?? [];
    const respond = module.restError;
    if (prefixes.length === 0 || !respond) throw new Error(`module ${module.name}: REST routes need restPrefixes and restError (authentication)`);
    const inFamily = (req: Request) => prefixes.some((prefix) => req.path.startsWith(prefix));
    // As for GraphQL: the body is read (within REQUEST_BODY_TIMEOUT_MS and the module's size limit) before admission.
    const readBody = readBodyWithin(express.text({ type: () => true, limit: module.restBodyLimit ?? "1mb" }), config.requestBodyTimeoutMs, (_req, res, message) =>
      respond(res, { status: 408, code: "BODY_TIMEOUT", message }),
    );
    const admit = admission.middleware((res, overload) => respond(res, { status: overload.status, code: overload.code, message: overload.message }));
    const authenticateThen = async (req: Request, res: Response, next: NextFunction) => {
      try {
        req.auth = await identify(req);
      } catch (error) {
        return next(error);
      }
      if (!req.auth.ok) {
        retryAfter(req.auth)?.forEach((value, name) => res.setHeader(name, value));
        return respond(res, { status: req.auth.status, code: req.auth.code, message: req.auth.message });
      }
      next();
    };
    // Every REST family reads its body, is admitted, then authenticates, before its router (one
    // layer, as for GraphQL), and answers refusals in its own shape.
    app.use((req, res, next) => {
      if (!inFamily(req)) return next();
      if (!options.health.available) {
        const status = requestFailureStatus(res, ErrorCode.ServiceUnavailable);
        return respond(res, { status, code: ErrorCode.ServiceUnavailable, message: SERVICE_UNAVAILABLE_MESSAGE });
      }
      readBody(req, res, (bodyError) => {
        if (bodyError) return respond(res, unreadableBody(bodyError));
        admit(req, res, () => void authenticateThen(req, res, next));
      });
    });
    app.use(module.restRouter(deps));
  }

  app.use((req, res) => {
    res.status(404).json({ code: "NOT_FOUND", detail: `no route for ${req.method} ${req.path}` });
  });
  app.use(jsonErrorHandler(deps));
  return {
    app,
    apollo,
    metrics,
    markShuttingDown: () => {
      shuttingDown = true;
    },
    live,
    closeLive: () => liveTransports.close(),
  };
}

/** body-parser's refusal (too large, unsupported charset or encoding, aborted) as a REST refusal. */
function unreadableBody(error: unknown): RestRefusal {
  const status = (error as { status?: number }).status;
  return { status: typeof status === "number" && status >= 400 && status < 500 ? status : 400, code: "BAD_BODY", message: (error as Error).message };
}

/** The last resort: a JSON body with a stable code, never an HTML page or a stack trace. */
function jsonErrorHandler(deps: AppDeps): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      const code = type === "entity.parse.failed" ? "INVALID_JSON" : type === "entity.too.large" ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
      res.status(status).json({ code, detail: code === "INVALID_JSON" ? "the request body is not valid JSON" : (error as Error).message });
      return;
    }
    deps.logger.error({ err: error, requestId: req.requestId, path: req.path }, "request failed");
    if (res.headersSent) return;
    res.status(500).json({ code: "INTERNAL_SERVER_ERROR", detail: "Internal server error", request_id: req.requestId });
  };
}
