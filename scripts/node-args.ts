import { ConfigError, nodeRuntimeArgs } from "../src/config";

/** Prints the node flags `npm start` runs procgraph with (src/config.ts, nodeRuntimeArgs). */
try {
  process.stdout.write(`${nodeRuntimeArgs().join(" ")}\n`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`procgraph: ${error.message}\n`);
  process.exit(2);
}
