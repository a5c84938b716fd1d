import pino from "pino";
import { TOKENS_COLLECTION } from "../../src/auth/tokens";
import { loadConfig } from "../../src/config";
import { APP_BUSINESS_LINKS } from "../../src/crossmodel/collections";
import { PAAS_COLLECTIONS } from "../../src/paas/collections";
import { startProcgraph } from "../../src/server";
import { useTestDatabase } from "../helpers/db";

/*
 * procgraph's own collections get their indexes on every start, also on a database another writer
 * filled (no demo seed); bk-cmdb's collections are never touched unless asked (README, "Demo data").
 */

const database = useTestDatabase();

/** The index names of a collection, without `_id_`. */
async function indexNames(collection: string): Promise<string[]> {
  const indexes = await database.db.collection(collection).listIndexes().toArray();
  return indexes.map((index) => String(index.name)).filter((name) => name !== "_id_").sort();
}

async function start() {
  const config = { ...loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", SEED_DEMO: "false" }), mongodbDb: database.db.databaseName };
  return startProcgraph(config, { logger: pino({ level: "silent" }), connection: { client: database.client, db: database.db } });
}

beforeAll(async () => {
  // Another writer: documents in procgraph's collections and in bk-cmdb's, no index but `_id`.
  const { db } = database;
  type Keyed = { _id: string; [field: string]: unknown };
  await db.collection<Keyed>(PAAS_COLLECTIONS.apps).insertOne({ _id: "billing", type: "default" });
  await db.collection<Keyed>(PAAS_COLLECTIONS.modules).insertOne({ _id: "billing/default", app_code: "billing", name: "default", is_default: true });
  await db.collection<Keyed>(APP_BUSINESS_LINKS).insertOne({ _id: "billing", bk_biz_id: 2 });
  await db.collection(TOKENS_COLLECTION).insertOne({ name: "dashboard", sha256: "0".repeat(64), scope: { cmdbBusinesses: "*", paasApps: "*" } });
  await db.collection("cc_Process").insertOne({ bk_process_id: 1, bk_biz_id: 2 });
});

describe("indexes on start, without demo data", () => {
  it("creates the indexes of procgraph's own collections, and none on bk-cmdb's", async () => {
    const running = await start();
    try {
      expect(await indexNames(PAAS_COLLECTIONS.apps)).toEqual(["type_id"]);
      expect(await indexNames(PAAS_COLLECTIONS.modules)).toEqual(["app_code_is_default", "app_code_name"]);
      expect(await indexNames(PAAS_COLLECTIONS.envs)).toEqual(["module_id_environment"]);
      expect(await indexNames(PAAS_COLLECTIONS.specs)).toEqual(["env_id_name"]);
      expect(await indexNames(PAAS_COLLECTIONS.processes)).toEqual(["env_id_type"]);
      expect(await indexNames(PAAS_COLLECTIONS.instances)).toEqual(["env_id_process_type_name", "host_ip_id"]);
      expect(await indexNames(APP_BUSINESS_LINKS)).toEqual(["bk_biz_id_1__id_1"]);
      expect(await indexNames(TOKENS_COLLECTION)).toEqual(["uniq_name", "uniq_sha256"]);
      expect(await indexNames("cc_Process")).toEqual([]);
    } finally {
      await running.stop();
    }
  });

  it("ensures them again on the next start: one createIndexes per collection, nothing else written", async () => {
    const { result: running, commands } = await database.recordCommands(() => start());
    try {
      const writes = commands.filter((c) => !["find", "aggregate", "count", "listIndexes", "listCollections", "ping", "hello", "isMaster"].includes(c.name));
      expect(writes.map((c) => `${c.name}:${c.collection}`).sort()).toEqual(
        [...Object.values(PAAS_COLLECTIONS).filter((name) => name !== PAAS_COLLECTIONS.resourceVersions), APP_BUSINESS_LINKS, TOKENS_COLLECTION].map((name) => `createIndexes:${name}`).sort(),
      );
    } finally {
      await running.stop();
    }
  });

  it("starts even when an index cannot be created (data that breaks a unique index), and says so", async () => {
    await database.db.collection(TOKENS_COLLECTION).dropIndexes();
    await database.db.collection(TOKENS_COLLECTION).insertOne({ name: "dashboard", sha256: "1".repeat(64), scope: { cmdbBusinesses: "*", paasApps: "*" } });
    const lines: Array<{ level: number; msg: string; module?: string }> = [];
    const config = { ...loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", SEED_DEMO: "false" }), mongodbDb: database.db.databaseName };
    const running = await startProcgraph(config, {
      logger: pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) }),
      connection: { client: database.client, db: database.db },
    });
    try {
      expect(lines.filter((line) => line.level === 40)).toEqual([expect.objectContaining({ module: "system", msg: expect.stringContaining("could not create the indexes") })]);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      expect(await indexNames(PAAS_COLLECTIONS.apps)).toEqual(["type_id"]);
    } finally {
      await running.stop();
    }
  });
});
