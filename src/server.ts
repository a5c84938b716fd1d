import "reflect-metadata";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino, { type Logger } from "pino";
import { StartupError, type AppConfig } from "./config";
import { MongoHealth } from "./db/health";
import type { MongoConnection } from "./db/mongo";
import { openDatabase } from "./db/open";
import type { AppDeps } from "./graphql/context";
import { NodeRegistry } from "./graphql/nodeRegistry";
import { createHttpApp } from "./http/app";
import { modules } from "./modules";
import { ensureOwnIndexes } from "./modules/ownIndexes";
import { Metrics } from "./observability/metrics";
import { PaasSync } from "./paas/sync/sync";
import { seedDemoOnce } from "./seed/demo";
import { createProgressReporter } from "./seed/progress";

export interface RunningProcgraph {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  deps: AppDeps;
  /** The instance's Prometheus metrics (served at /metrics). */
  metrics: Metrics;
  /** What MongoDB-wire server runs behind us. */
  database: string;
  httpServer: http.Server;
  /** The Kubernetes sync, when PAAS_KUBECONFIG or PAAS_IN_CLUSTER configured one. */
  paasSync: PaasSync | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Tests hand in their own connection (their own database). */
  connection?: MongoConnection;
  /**
   * The embedded database could not be kept running (its restarts failed; the fatal line is
   * logged). By default procgraph stops and exits 1: it cannot serve any more.
   */
  onDatabaseLost?(reason: string): void;
}

/** Starts the whole service: embedded DB if needed, MongoDB connection, demo data, HTTP. */
export async function startProcgraph(config: AppConfig, options: StartOptions = {}): Promise<RunningProcgraph> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  let connection: MongoConnection;
  let database = "the connection given by the caller";
  const cleanups: Array<() => Promise<void>> = [];
  let stopService: (() => Promise<void>) | undefined;
  const onDatabaseLost =
    options.onDatabaseLost ??
    (() => {
      process.exitCode = 1;
      void (stopService?.() ?? Promise.resolve()).finally(() => process.exit(1));
    });
  try {
    if (options.connection) {
      connection = options.connection;
    } else {
      const opened = await openDatabase(config, (line) => logger.info(line), { logger, onGiveUp: onDatabaseLost });
      cleanups.push(() => opened.close());
      connection = opened;
      database = opened.description;
    }

    // The composition root: the module list and the node registry built from it reach every request through `deps`.
    const nodes = new NodeRegistry(modules.flatMap((module) => module.nodeTypes ?? []));
    const deps: AppDeps = { config, client: connection.client, db: connection.db, logger, nodes };
    await ensureOwnIndexes(deps, modules);
    if (config.seedDemo) {
      const seeded = await seedDemoOnce({ ...deps, progress: createProgressReporter(process.stderr, true) }, modules);
      if (seeded.length > 0) logger.info({ modules: seeded }, "demo data seeded");
    }

    const httpServer = http.createServer(httpServerTimeouts(config));
    httpServer.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    const health = new MongoHealth(connection.client);
    cleanups.unshift(async () => health.close());
    const metrics = new Metrics();
    let paasSync: PaasSync | undefined;
    if (config.paasSync) {
      paasSync = new PaasSync({ clusters: config.paasSync.clusters, leaseTtlMs: config.paasSync.leaseTtlMs, db: connection.db, logger, registry: metrics.registry });
      const sync = paasSync;
      // Stopped before the database closes: its last writes and the lease release need it.
      cleanups.unshift(() => sync.stop());
    }
    const { app, markShuttingDown, closeLive } = await createHttpApp(deps, httpServer, { modules, health, metrics, syncStatus: paasSync && (() => paasSync.status()) });
    httpServer.on("request", app);
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", (error) => reject(listenFailure(error, config)));
      httpServer.listen(config.port, config.host, resolve);
    });
    for (const module of modules) {
      const stopBackground = module.startBackground?.(deps);
      if (stopBackground) cleanups.unshift(stopBackground);
    }
    paasSync?.start();
    const address = httpServer.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        // Stop accepting, let in-flight requests finish (at most SHUTDOWN_TIMEOUT_MS), then release the database.
        markShuttingDown();
        // Every subscription completes and every WebSocket closes before the HTTP server drains.
        await closeLive().catch((err) => logger.warn({ err }, "closing live updates failed"));
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        // A kept-alive connection goes idle when its request is answered: close it then, rather
        // than waiting out keepAliveTimeout.
        const sweep = setInterval(() => httpServer.closeIdleConnections(), 100);
        httpServer.closeIdleConnections();
        const timer = setTimeout(() => {
          logger.warn({ shutdownTimeoutMs: config.shutdownTimeoutMs }, "shutdown timeout (SHUTDOWN_TIMEOUT_MS) reached: closing the connections still in flight");
          httpServer.closeAllConnections();
        }, config.shutdownTimeoutMs);
        await closed;
        clearTimeout(timer);
        clearInterval(sweep);
        for (const cleanup of cleanups) await cleanup().catch((err) => logger.warn({ err }, "cleanup failed"));
      })();
      return stopping;
    };
    stopService = stop;
    return { url: `http://${host}:${address.port}`, deps, metrics, database, httpServer, paasSync, stop };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}

/**
 * Longer than the idle timeout of the usual load balancers and proxies (60 s): the balancer, not
 * procgraph, closes an idle kept-alive connection, so no request is sent on one being closed
 * (Node's default of 5 s causes sporadic 502s behind them).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** A client gets this long to send its request headers (slow-headers attacks hold a socket at most this). */
export const HEADERS_TIMEOUT_MS = 10_000;

/**
 * Node's own limits, as backstops behind the application's: the body's arrival is bounded by
 * REQUEST_BODY_TIMEOUT_MS in the app (answered in each API's shape); Node's requestTimeout ends a
 * request whose headers and body have not all arrived a second later (for routes that never read
 * a body), checked every second instead of Node's default 30 s.
 */
function httpServerTimeouts(config: AppConfig): http.ServerOptions {
  return {
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: HEADERS_TIMEOUT_MS + config.requestBodyTimeoutMs + 1_000,
    connectionsCheckingInterval: 1_000,
  };
}

/** The HTTP port cannot be bound: one line naming the variable to change. */
function listenFailure(error: unknown, config: AppConfig): unknown {
  const where = `${config.host}:${config.port}`;
  switch ((error as NodeJS.ErrnoException).code) {
    case "EADDRINUSE":
      return new StartupError(`cannot listen on ${where}: the port is already in use (set another PORT, or stop what uses it)`);
    case "EADDRNOTAVAIL":
      return new StartupError(`cannot listen on ${where}: HOST=${config.host} is not an address of this machine`);
    case "EACCES":
      return new StartupError(`cannot listen on ${where}: not permitted (a PORT below 1024 needs privileges)`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new StartupError(`cannot listen on ${where}: HOST=${config.host} does not resolve to an address`);
    default:
      return error;
  }
}
