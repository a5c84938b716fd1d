import "reflect-metadata";
import pino from "pino";
import { ConfigError, loadConfig } from "./config";
import { EmbeddedServerUnavailable } from "./db/embedded/launcher";
import { surviveUnhandledRejections } from "./observability/unhandled";
import { startProcgraph, type RunningProcgraph } from "./server";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`procgraph: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = pino({ level: config.logLevel });
  let running: RunningProcgraph;
  surviveUnhandledRejections(logger, () => running?.metrics);
  try {
    running = await startProcgraph(config, { logger });
  } catch (error) {
    if (error instanceof EmbeddedServerUnavailable) {
      process.stderr.write(`procgraph: ${error.message}\n`);
      process.exit(3);
    }
    logger.fatal({ err: error }, "procgraph failed to start");
    process.exit(1);
  }

  logger.info({ database: running.database }, "database ready");
  // The one line a person looks for.
  process.stdout.write(`procgraph ready: playground at ${running.url}/graphql (database: ${running.database})\n`);
  if (config.anonymousScope) {
    const scope = JSON.stringify(config.anonymousScope.toJSON());
    process.stdout.write(`anonymous read access is on (scope ${scope}): for production set ANONYMOUS_SCOPE=none and create tokens with npm run token\n`);
  }

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    logger.info({ signal }, "shutting down: draining requests");
    running.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

void main();
