import path from "node:path";
import pino from "pino";
import { loadConfig } from "../../src/config";
import { startEmbeddedServer, type EmbeddedServer } from "../../src/db/embedded/launcher";
import { connectMongo, type MongoConnection } from "../../src/db/mongo";
import { startProcgraph, type RunningProcgraph } from "../../src/server";
import { record, waitActive, wsClient } from "../helpers/liveClients";

/** procgraph on a SecantusDB of its own (a small oplog, or a standalone server). */
async function ownServer(options: { oplogMaxEntries?: number; standalone?: boolean }): Promise<{ db: EmbeddedServer; connection: MongoConnection; running: RunningProcgraph; stop(): Promise<void> }> {
  const db = await startEmbeddedServer({ projectRoot: path.resolve(__dirname, "../.."), ...options });
  const connection = await connectMongo(db.uri, "live_history");
  const running = await startProcgraph(
    { ...loadConfig({ PORT: "0", LOG_LEVEL: "silent", SEED_DEMO: "false" }), mongodbDb: "live_history" },
    { logger: pino({ level: "silent" }), connection },
  );
  return {
    db,
    connection,
    running,
    async stop() {
      await running.stop();
      await connection.client.close();
      await db.stop();
    },
  };
}

const SUBSCRIPTION = "subscription Resume($after: String) { processEvents(after: $after) { type cursor id } }";

describe("a cursor older than the retained history", () => {
  it("is refused with CURSOR_EXPIRED, never silently skipped", async () => {
    const own = await ownServer({ oplogMaxEntries: 50 });
    try {
      const first = wsClient(own.running.url);
      const events = record(first, SUBSCRIPTION);
      await waitActive(own.running.url, 1);
      await own.connection.db.collection("cc_Process").insertOne({ bk_process_id: 1, bk_biz_id: 2, bk_process_name: "p" });
      await events.waitFor(1);
      const cursor = (events.messages[0].data!.processEvents as { cursor: string }).cursor;
      await first.dispose();
      // SecantusDB prunes its oplog every 1,000 writes down to the cap (50 here).
      await own.connection.db.collection("filler").insertMany(Array.from({ length: 1_200 }, (_, i) => ({ i })));

      const second = wsClient(own.running.url);
      const resumed = record(second, SUBSCRIPTION, { after: cursor });
      await resumed.completed;
      expect(resumed.messages).toEqual([
        { errors: [{ message: "after: the cursor is older than the retained history; list again, then subscribe", path: ["processEvents"], extensions: { code: "CURSOR_EXPIRED" } }] },
      ]);
      await second.dispose();
    } finally {
      await own.stop();
    }
  }, 90_000);
});

describe("a standalone MongoDB (no change streams)", () => {
  it("answers subscriptions with LIVE_UPDATES_UNAVAILABLE and every query as before", async () => {
    const own = await ownServer({ standalone: true });
    try {
      const client = wsClient(own.running.url);
      const events = record(client, SUBSCRIPTION);
      await events.completed;
      expect(events.messages[0].errors?.[0].extensions).toEqual({ code: "LIVE_UPDATES_UNAVAILABLE" });
      await client.dispose();
      const query = await fetch(`${own.running.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ processes(first: 1) { totalCount } }" }) });
      expect(await query.json()).toEqual({ data: { processes: { totalCount: 0 } } });
    } finally {
      await own.stop();
    }
  }, 90_000);
});
