import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Db, MongoClient } from "mongodb";
import pino from "pino";
import { loadConfig } from "../../src/config";
import { CommandRecorder, connectMongo, type RecordedCommand } from "../../src/db/mongo";
import type { SeedDeps } from "../../src/modules/types";
import { createProgressReporter } from "../../src/seed/progress";
import { startOwnSecantus, type OwnSecantus } from "./secantus";

export interface TestDatabase {
  /** The server's connection string (the shared one, or the file's own). */
  readonly uri: string;
  readonly client: MongoClient;
  readonly db: Db;
  /** Runs `action` and returns the data commands it sent to this test's database. */
  recordCommands<T>(action: () => Promise<T>): Promise<{ result: T; commands: RecordedCommand[]; summary: string[] }>;
}

/** What a seeder needs to write into this test's database: the default config, a silent logger, progress on stderr. */
export function seedDepsOf(database: Pick<TestDatabase, "client" | "db">): SeedDeps {
  return { config: loadConfig({}), client: database.client, db: database.db, logger: pino({ level: "silent" }), progress: createProgressReporter(process.stderr, true) };
}

export function testMongoUri(): string {
  const uri = process.env.PROCGRAPH_TEST_MONGODB_URI;
  if (!uri) throw new Error("PROCGRAPH_TEST_MONGODB_URI is not set: run the tests through jest (globalSetup starts the DB server)");
  return uri;
}

/**
 * A database of this test file's own on the shared server, dropped afterwards. Call at the top of
 * a test file; the returned object is usable from `beforeAll` on. `ownServer`: on a SecantusDB of
 * the file's own instead, for files whose load would starve the others of the shared server (or
 * that must not be starved by theirs).
 */
export function useTestDatabase(options: { ownServer?: boolean } = {}): TestDatabase {
  const file = path.basename(expect.getState().testPath ?? "test", ".test.ts").replace(/[^A-Za-z0-9]/g, "_");
  const name = `t_${file.slice(0, 40)}_${randomBytes(4).toString("hex")}`;
  let client: MongoClient | undefined;
  let db: Db | undefined;
  let server: OwnSecantus | undefined;

  beforeAll(async () => {
    if (options.ownServer) server = await startOwnSecantus();
    const connection = await connectMongo(server?.uri ?? testMongoUri(), name, { appName: "procgraph-test" });
    client = connection.client;
    db = connection.db;
  });
  afterAll(async () => {
    // An own server is in memory and stopped: nothing to drop (and it may still be busy).
    if (!server) await db?.dropDatabase().catch(() => undefined);
    await client?.close(server !== undefined);
    await server?.stop();
  }, 30_000);

  return {
    get uri() {
      return server?.uri ?? testMongoUri();
    },
    get client() {
      if (!client) throw new Error("test database used before beforeAll");
      return client;
    },
    get db() {
      if (!db) throw new Error("test database used before beforeAll");
      return db;
    },
    async recordCommands(action) {
      const recorder = new CommandRecorder(this.client, name);
      try {
        const result = await action();
        return { result, commands: recorder.commands, summary: recorder.summary() };
      } finally {
        recorder.stop();
      }
    },
  };
}
