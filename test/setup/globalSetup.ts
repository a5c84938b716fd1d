import path from "node:path";
import { startEmbeddedServer } from "../../src/db/embedded/launcher";

/**
 * Starts the DB server once for the whole run (or uses MONGODB_URI). Workers read the URI from
 * the environment; each test file then works in a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.PROCGRAPH_TEST_MONGODB_URI = process.env.MONGODB_URI;
    process.env.PROCGRAPH_TEST_DB_SERVER = "MongoDB at MONGODB_URI";
    return;
  }
  const server = await startEmbeddedServer({
    projectRoot: path.resolve(__dirname, "../.."),
    log: (line) => process.stderr.write(`[test db] ${line}\n`),
  });
  (globalThis as { __procgraphTestServer?: typeof server }).__procgraphTestServer = server;
  process.env.PROCGRAPH_TEST_MONGODB_URI = server.uri;
  process.env.PROCGRAPH_TEST_DB_SERVER = server.description;
  process.stderr.write(`\n[test db] ${server.description}\n`);
}
