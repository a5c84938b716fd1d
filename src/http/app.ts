import type { Server } from "node:http";
import type { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import express, { type Express, type Request, type RequestHandler } from "express";
import { GraphQLError } from "graphql";
import { identifyCaller } from "../auth/authenticate";
import { FailedAuthThrottle } from "../auth/throttle";
import { TokenStore } from "../auth/tokens";
import type { MongoHealth } from "../db/health";
import type { AppDeps, RequestContext } from "../graphql/context";
import { getSchema } from "../graphql/schema";
import { LiveService } from "../live/service";
import { attachLiveTransports } from "../live/transports";
import { paasWatchHandler } from "../live/watchRoute";
import type { DomainModule } from "../modules/types";
import { Metrics } from "../observability/metrics";
import { requestLogger } from "../observability/requestLog";
import { sendPaasError } from "../paas/rest/router";
import type { ClusterStatus } from "../paas/sync/sync";
import { federationSchema } from "../portal/federation";
import { Admission } from "./admission";
import { corsAllowlist } from "./cors";
import { dashboardRouter } from "./dashboard";
import { apolloFactory, formatError, graphqlEndpointFactory, lazyHandler } from "./graphqlPipeline";
import { playgroundAssets, sendPlayground, wantsPlayground } from "./playground";
import { mountProbes } from "./probes";
import { startRequest } from "./requestId";
import { mountNotFound, mountRestRouters } from "./rest";

/**
 * Two middlewares as one Express layer: each layer costs every request a router step (path match,
 * parameter processing, prefix trimming), the request's first steps run for all of them.
 */
function asOneLayer(first: RequestHandler, second: RequestHandler): RequestHandler {
  return (req, res, next) => first(req, res, (error?: unknown) => (error === undefined ? second(req, res, next) : next(error)));
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

/**
 * The HTTP application, assembled in the order a request meets it (docs/architecture.md): request
 * id, deadline and CORS (one layer), the GraphQL endpoint (graphqlPipeline.ts), the SSE transport
 * and the federation endpoint below it, the probes (probes.ts), the playground and dashboard, the
 * PaaS watch, the REST families (rest.ts), and the JSON 404.
 */
export async function createHttpApp(deps: AppDeps, httpServer: Server, options: HttpAppOptions): Promise<HttpApp> {
  const { config } = deps;
  const metrics = options.metrics ?? new Metrics();
  const schema = await getSchema(options.modules);
  const apolloServer = apolloFactory(deps, metrics);
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
  app.use(asOneLayer(startRequest(config.requestTimeoutMs, requestLogger(deps.logger, metrics)), corsAllowlist(config.corsOrigins)));

  const tokens = TokenStore.forDatabase(deps.db, config.tokensFile);
  const throttle = new FailedAuthThrottle();
  metrics.observeAuthState(() => ({ ...tokens.cacheSize, throttled_addresses: throttle.trackedAddresses }));
  const databaseAvailable = () => options.health.available;
  const identify = identifyCaller({ tokens, anonymousScope: config.anonymousScope, throttle, databaseAvailable, requestTimeoutMs: config.requestTimeoutMs });
  const observeBatch = (collection: string, keys: number) => metrics.loaderBatchSize.observe({ collection }, keys);
  // A wait that ran out while MongoDB left commands unanswered for a second was a wait for MongoDB.
  const admission = new Admission(config.admission, config.requestTimeoutMs, metrics, () => options.health.available && !options.health.silentFor(1_000));

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

  const graphqlEndpoint = graphqlEndpointFactory(deps, { health: options.health, admission, identify, observeBatch });
  // First, as most requests are for it; it passes on the paths below it (/graphql/stream,
  // /graphql/federation), mounted next.
  app.use("/graphql", graphqlEndpoint(apollo, { playground: true }));
  app.use("/graphql/stream", liveTransports.sse);
  app.use("/graphql/federation", lazyHandler(async () => {
    // The Apollo Federation v2 subgraph of the same graph (docs/portal.md), built on its first
    // request: most deployments never federate, and it holds about 15 MB.
    // No inline tracing: it would hand any caller per-field timings (ftv1) of the subgraph.
    const federation = apolloServer(federationSchema(schema), [ApolloServerPluginInlineTraceDisabled()]);
    await federation.start();
    return graphqlEndpoint(federation, { playground: false });
  }));

  // After the GraphQL endpoints, which most requests are for: each layer before them costs every
  // request a path match.
  mountProbes(app, { health: options.health, metrics, syncStatus: options.syncStatus, shuttingDown: () => shuttingDown });

  app.use("/playground", playgroundAssets());
  app.use(dashboardRouter());
  app.get("/", (req, res, next) => (wantsPlayground(req) ? sendPlayground(req, res) : next()));

  // bk-paas's processes watch (docs/paas.md, "REST: GET …/processes/watch/"): long-lived, so it holds no admission slot.
  const watch = paasWatchHandler(deps, live, identify, sendPaasError);
  app.get("/api/bkapps/applications/:app_code/modules/:module_name/envs/:environment/processes/watch/", watch);
  app.get("/api/bkapps/applications/:app_code/envs/:environment/processes/watch/", watch);

  mountRestRouters(app, deps, { modules: options.modules, health: options.health, admission, identify });
  mountNotFound(app, deps);
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
