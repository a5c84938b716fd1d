// First: it decides how graphql-js checks types (see the file).
import "./graphqlLoad";
import "reflect-metadata";
import pino from "pino";
import { loadConfig, StartupError } from "./config";
import { EmbeddedServerUnavailable } from "./db/embedded/launcher";
import { surviveUnhandledRejections } from "./observability/unhandled";
import { startProcgraph, type RunningProcgraph } from "./server";

/**
 * Ctrl-C sends SIGINT to the whole process group, and `npm start` forwards the one it gets to
 * procgraph too: the same signal again within this window is that copy, not an impatient second
 * Ctrl-C asking to exit at once. Two seconds, not less: on a loaded machine npm's copy can come
 * more than 500 ms after the terminal's, and procgraph would exit in the middle of its drain (the
 * likely cause of a loaded test run whose request in flight was cut off within 2 s of Ctrl-C).
 */
const DUPLICATE_SIGNAL_WINDOW_MS = 2_000;
/**
 * Past the drain (SHUTDOWN_TIMEOUT_MS), closing MongoDB takes at most 2 s and stopping the embedded
 * server at most 15 s: a shutdown still running after this much longer is stuck, and exits.
 */
const SHUTDOWN_CLEANUP_BOUND_MS = 30_000;

/** The one line for a start that cannot succeed as configured, and its exit code. */
function failStart(message: string, code: number): never {
  process.stderr.write(`procgraph: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof StartupError) failStart(error.message, 2);
    throw error;
  }

  const logger = pino({ level: config.logLevel });
  let running: RunningProcgraph;
  surviveUnhandledRejections(logger, () => running?.metrics);
  try {
    running = await startProcgraph(config, { logger });
  } catch (error) {
    if (error instanceof StartupError) failStart(error.message, 2);
    if (error instanceof EmbeddedServerUnavailable) failStart(error.message, 3);
    logger.fatal({ err: error }, "procgraph failed to start");
    process.exit(1);
  }

  logger.info({ database: running.database }, "database ready");
  // The one line a person looks for.
  process.stdout.write(`procgraph ready: playground at ${running.url}/graphql (database: ${running.database})\n`);
  process.stdout.write(`ops dashboard at ${running.url}/dashboard\n`);
  if (config.anonymousScope) {
    const scope = JSON.stringify(config.anonymousScope.toJSON());
    process.stdout.write(`anonymous read access is on (scope ${scope}): for production set ANONYMOUS_SCOPE=none and create tokens with npm run token\n`);
  }

  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (first) {
      if (signal === first.signal && Date.now() - first.at < DUPLICATE_SIGNAL_WINDOW_MS) {
        logger.info({ signal }, `the same ${signal} again within ${DUPLICATE_SIGNAL_WINDOW_MS} ms (npm forwards it too): already shutting down`);
        return;
      }
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    first = { signal, at: Date.now() };
    const { shutdownTimeoutMs } = config;
    logger.info({ signal, shutdownTimeoutMs }, `shutting down: draining requests for at most ${shutdownTimeoutMs} ms (SHUTDOWN_TIMEOUT_MS)`);
    setTimeout(() => {
      logger.error({ signal }, `shutdown did not finish within ${shutdownTimeoutMs + SHUTDOWN_CLEANUP_BOUND_MS} ms: exiting`);
      process.exit(1);
    }, shutdownTimeoutMs + SHUTDOWN_CLEANUP_BOUND_MS).unref();
    running.stop().then(
      () => {
        logger.info({ signal }, "shutdown complete");
        process.exit(0);
      },
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
