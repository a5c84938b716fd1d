import "reflect-metadata";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino, { type Logger } from "pino";
import type { AppConfig } from "./config";
import { MongoHealth } from "./db/health";
import type { MongoConnection } from "./db/mongo";
import { openDatabase } from "./db/open";
import type { AppDeps } from "./graphql/context";
import { createHttpApp } from "./http/app";
import { modules } from "./modules";
import { Metrics } from "./observability/metrics";
import { PaasSync } from "./paas/sync/sync";
import { seedDemoOnce } from "./seed/demo";
import { createProgressReporter } from "./seed/progress";

export interface RunningProcgraph {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  deps: AppDeps;
  /** What MongoDB-wire server runs behind us. */
  database: string;
  /** The Kubernetes sync, when PAAS_KUBECONFIG or PAAS_IN_CLUSTER configured one. */
  paasSync: PaasSync | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Tests hand in their own connection (their own database). */
  connection?: MongoConnection;
}

/** Starts the whole service: embedded DB if needed, MongoDB connection, demo data, HTTP. */
export async function startProcgraph(config: AppConfig, options: StartOptions = {}): Promise<RunningProcgraph> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  let connection: MongoConnection;
  let database = "the connection given by the caller";
  const cleanups: Array<() => Promise<void>> = [];
  try {
    if (options.connection) {
      connection = options.connection;
    } else {
      const opened = await openDatabase(config, (line) => logger.info(line));
      cleanups.push(() => opened.close());
      connection = opened;
      database = opened.description;
    }

    const deps: AppDeps = { config, client: connection.client, db: connection.db, logger };
    if (config.seedDemo) {
      const seeded = await seedDemoOnce({ ...deps, progress: createProgressReporter(process.stderr, true) }, modules);
      if (seeded.length > 0) logger.info({ modules: seeded }, "demo data seeded");
    }

    const httpServer = http.createServer();
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
    const { app, markShuttingDown } = await createHttpApp(deps, httpServer, { health, metrics, syncStatus: paasSync && (() => paasSync.status()) });
    httpServer.on("request", app);
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.port, config.host, resolve);
    });
    paasSync?.start();
    const address = httpServer.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        // Stop accepting, let in-flight requests finish (bounded), then release the database.
        markShuttingDown();
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        const timer = setTimeout(() => httpServer.closeAllConnections(), config.shutdownTimeoutMs);
        await closed;
        clearTimeout(timer);
        for (const cleanup of cleanups) await cleanup().catch((err) => logger.warn({ err }, "cleanup failed"));
      })();
      return stopping;
    };
    return { url: `http://${host}:${address.port}`, deps, database, paasSync, stop };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}
