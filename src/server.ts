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
import { seedDemoOnce } from "./seed/demo";
import { createProgressReporter } from "./seed/progress";

export interface RunningProcgraph {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  deps: AppDeps;
  /** What MongoDB-wire server runs behind us. */
  database: string;
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
    const { app, markShuttingDown, closeLive } = await createHttpApp(deps, httpServer, { health });
    httpServer.on("request", app);
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.port, config.host, resolve);
    });
    const address = httpServer.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        // Stop accepting, let in-flight requests finish (bounded), then release the database.
        markShuttingDown();
        // Every subscription completes and every WebSocket closes before the HTTP server drains.
        await closeLive().catch((err) => logger.warn({ err }, "closing live updates failed"));
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        const timer = setTimeout(() => httpServer.closeAllConnections(), config.shutdownTimeoutMs);
        await closed;
        clearTimeout(timer);
        for (const cleanup of cleanups) await cleanup().catch((err) => logger.warn({ err }, "cleanup failed"));
      })();
      return stopping;
    };
    return { url: `http://${host}:${address.port}`, deps, database, stop };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}
