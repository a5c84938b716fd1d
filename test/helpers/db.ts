import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Db, MongoClient } from "mongodb";
import { CommandRecorder, connectMongo, type RecordedCommand } from "../../src/db/mongo";

export interface TestDatabase {
  readonly client: MongoClient;
  readonly db: Db;
  /** Runs `action` and returns the data commands it sent to this test's database. */
  recordCommands<T>(action: () => Promise<T>): Promise<{ result: T; commands: RecordedCommand[]; summary: string[] }>;
}

export function testMongoUri(): string {
  const uri = process.env.PROCGRAPH_TEST_MONGODB_URI;
  if (!uri) throw new Error("PROCGRAPH_TEST_MONGODB_URI is not set: run the tests through jest (globalSetup starts the DB server)");
  return uri;
}

/**
 * A database of this test file's own on the shared server, dropped afterwards. Call at the top of
 * a test file; the returned object is usable from `beforeAll` on.
 */
export function useTestDatabase(): TestDatabase {
  const file = path.basename(expect.getState().testPath ?? "test", ".test.ts").replace(/[^A-Za-z0-9]/g, "_");
  const name = `t_${file.slice(0, 40)}_${randomBytes(4).toString("hex")}`;
  let client: MongoClient | undefined;
  let db: Db | undefined;

  beforeAll(async () => {
    const connection = await connectMongo(testMongoUri(), name, { appName: "procgraph-test" });
    client = connection.client;
    db = connection.db;
  });
  afterAll(async () => {
    await db?.dropDatabase().catch(() => undefined);
    await client?.close();
  });

  return {
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
