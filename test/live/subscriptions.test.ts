import WebSocket from "ws";
import { CmdbCollection } from "../../src/cmdb/collections";
import { PaasWriter } from "../../src/paas/providers/writer";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { encodeId, insertGraphFixture, tokensFile } from "../helpers/crossModelFixture";
import { record, sseClient, waitActive, wsClient } from "../helpers/liveClients";

const SCOPED = "token-live-biz2-example-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, {
  TOKENS_FILE: tokensFile({ "biz2-example": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example"] } } }),
  LIMIT_MAX_DEPTH: "4",
  LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: "2",
});

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

const PROCESS_EVENTS = `subscription Live($filter: ProcessFilter, $after: String) {
  processEvents(filter: $filter, after: $after) { type cursor id process { __typename name source ... on CmdbProcess { bkProcessId } ... on PaasProcess { key replicas success health { status } } } }
}`;

type Event = { type: string; cursor: string; id: string; process: Record<string, unknown> | null };
const eventsOf = (messages: Array<{ data?: Record<string, unknown> | null }>, field = "processEvents") => messages.map((m) => m.data![field] as Event);
const withoutCursor = (events: Event[]) => events.map(({ cursor, ...rest }) => (expect(cursor).toMatch(/^[A-Za-z0-9_-]{20,}$/), rest));
const processes = () => database.db.collection(CmdbCollection.process);

describe("processEvents over graphql-ws", () => {
  it("delivers CMDB process writes: ADDED, MODIFIED, then DELETED with the deleted process's id", async () => {
    const client = wsClient(server.url);
    const events = record(client, PROCESS_EVENTS, { filter: { source: "CMDB" } });
    await waitActive(server.url, 1);
    await processes().insertOne({ bk_process_id: 901, bk_biz_id: 2, bk_process_name: "live-one", bk_supplier_account: "0" });
    await events.waitFor(1);
    await processes().updateOne({ bk_process_id: 901 }, { $set: { bk_process_name: "live-renamed" } });
    await events.waitFor(2);
    await processes().deleteOne({ bk_process_id: 901 });
    await events.waitFor(3);
    const id = encodeId("CmdbProcess", 901);
    expect(withoutCursor(eventsOf(events.messages))).toEqual([
      { type: "ADDED", id, process: { __typename: "CmdbProcess", name: "live-one", source: "CMDB", bkProcessId: 901 } },
      { type: "MODIFIED", id, process: { __typename: "CmdbProcess", name: "live-renamed", source: "CMDB", bkProcessId: 901 } },
      { type: "DELETED", id, process: null },
    ]);
    await client.dispose();
    await waitActive(server.url, 0);
  });

  it("resumes after a disconnect with exactly the missed events, then goes on live", async () => {
    const first = wsClient(server.url);
    const before = record(first, PROCESS_EVENTS, { filter: { source: "CMDB" } });
    await waitActive(server.url, 1);
    await processes().insertOne({ bk_process_id: 910, bk_biz_id: 2, bk_process_name: "resume-0", bk_supplier_account: "0" });
    await before.waitFor(1);
    await first.dispose();
    await waitActive(server.url, 0);
    const cursor = eventsOf(before.messages)[0].cursor;

    // Written while nobody listens: a foreign-source write too, which the filter drops on replay.
    for (let i = 1; i <= 3; i += 1) await processes().updateOne({ bk_process_id: 910 }, { $set: { bk_process_name: `resume-${i}` } });
    await new PaasWriter(database.db).upsertProcess({ env_id: "example/default/prod", type: "web", name: "example--web", command: "gunicorn", replicas: 2, success: 2, version: 3 });

    const second = wsClient(server.url);
    const after = record(second, PROCESS_EVENTS, { filter: { source: "CMDB" }, after: cursor });
    await after.waitFor(3).catch((e) => { throw new Error(`${e}: ${JSON.stringify(after.messages)}`); });
    expect(after.messages[0].errors).toBeUndefined();
    await waitActive(server.url, 1);
    await processes().deleteOne({ bk_process_id: 910 });
    await after.waitFor(4);
    await new Promise((r) => setTimeout(r, 300));
    const id = encodeId("CmdbProcess", 910);
    expect(eventsOf(after.messages).map((e) => [e.type, e.id])).toEqual([["MODIFIED", id], ["MODIFIED", id], ["MODIFIED", id], ["DELETED", id]]);
    // Every event has a cursor of its own: none replayed twice.
    expect(new Set(eventsOf(after.messages).map((e) => e.cursor)).size).toBe(4);
    await second.dispose();
    await waitActive(server.url, 0);
  });

  it("refuses a malformed cursor with BAD_USER_INPUT", async () => {
    const client = wsClient(server.url);
    const events = record(client, PROCESS_EVENTS, { after: "not-a-cursor" });
    await events.completed;
    expect(events.messages[0].errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    await client.dispose();
  });
});

describe("PaaS writes over graphql-sse", () => {
  it("reaches an SSE subscriber: a process's own write, its instance's write (MODIFIED), its delete", async () => {
    const client = sseClient(server.url);
    const events = record(client, PROCESS_EVENTS, { filter: { paasAppCode: "example" } });
    await waitActive(server.url, 1);
    const writer = new PaasWriter(database.db);
    const env = "example/default/stag";
    await writer.upsertProcess({ env_id: env, type: "web", name: "example--web", command: "gunicorn", replicas: 1, success: 0, version: 4 });
    await events.waitFor(1);
    await writer.upsertInstance({
      env_id: env, name: "example--web-1-aaaaa", process_type: "web", image: "img", start_time: new Date(), state: "Running", state_message: null,
      rich_status: "Running", ready: true, restart_count: 0, terminated_info: null, version: 4,
    });
    await events.waitFor(2);
    await writer.deleteProcess(env, "web");
    await events.waitFor(3);
    const id = encodeId("PaasProcess", `${env}/web`);
    expect(withoutCursor(eventsOf(events.messages))).toEqual([
      { type: "ADDED", id, process: { __typename: "PaasProcess", name: "example--web", source: "PAAS", key: `${env}/web`, replicas: 1, success: 0, health: { status: "UNHEALTHY" } } },
      { type: "MODIFIED", id, process: { __typename: "PaasProcess", name: "example--web", source: "PAAS", key: `${env}/web`, replicas: 1, success: 0, health: { status: "UNHEALTHY" } } },
      { type: "DELETED", id, process: null },
    ]);
    events.unsubscribe();
    await client.dispose();
    await waitActive(server.url, 0);
  });

  it("reaches cmdbHostEvents over SSE, a host delete with its key", async () => {
    const client = sseClient(server.url);
    const events = record(client, "subscription { cmdbHostEvents { type id bkHostId host { bkHostId bkHostInnerip } } }");
    await waitActive(server.url, 1);
    await database.db.collection(CmdbCollection.host).insertOne({ bk_host_id: 777, bk_host_innerip: ["10.7.7.7"], bk_supplier_account: "0" });
    await events.waitFor(1);
    await database.db.collection(CmdbCollection.host).deleteOne({ bk_host_id: 777 });
    await events.waitFor(2);
    const id = encodeId("CmdbHost", 777);
    expect(eventsOf(events.messages, "cmdbHostEvents")).toEqual([
      { type: "ADDED", id, bkHostId: 777, host: { bkHostId: 777, bkHostInnerip: ["10.7.7.7"] } },
      { type: "DELETED", id, bkHostId: 777, host: null },
    ]);
    events.unsubscribe();
    await client.dispose();
    await waitActive(server.url, 0);
  });
});

/** A raw graphql-transport-ws connection: every frame the server sends, as text. */
async function rawSubscription(token: string, query: string): Promise<{ frames: string[]; close(): void }> {
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/graphql`, "graphql-transport-ws");
  const frames: string[] = [];
  socket.on("message", (data) => frames.push(String(data)));
  await new Promise((resolve) => socket.once("open", resolve));
  socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
  await new Promise((resolve) => socket.once("message", resolve));
  socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
  return { frames, close: () => socket.close() };
}

describe("scope, limits and authentication", () => {
  it("never sends a scoped token an event of another business or app (raw frames)", async () => {
    const raw = await rawSubscription(SCOPED, "subscription { processEvents { type id process { name } } }");
    await waitActive(server.url, 1);
    const writer = new PaasWriter(database.db);
    await processes().insertOne({ bk_process_id: 930, bk_biz_id: 3, bk_process_name: "foreign-cmdb", bk_supplier_account: "tencent" });
    await writer.upsertProcess({ env_id: "legacy-app/default/prod", type: "web", name: "foreign-paas", command: "x", replicas: 1, success: 1, version: 1 });
    await processes().deleteOne({ bk_process_id: 930 });
    // Then one of its own, which must be the only event frame.
    await processes().insertOne({ bk_process_id: 931, bk_biz_id: 2, bk_process_name: "own", bk_supplier_account: "0" });
    const deadline = Date.now() + 10_000;
    while (!raw.frames.some((f) => f.includes("own")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    raw.close();
    expect(raw.frames.join("\n")).not.toMatch(/foreign|930|legacy/);
    expect(raw.frames.map((f) => JSON.parse(f).type)).toEqual(["connection_ack", "next"]);
    expect(JSON.parse(raw.frames[1]).payload.data.processEvents).toEqual({ type: "ADDED", id: encodeId("CmdbProcess", 931), process: { name: "own" } });
    await waitActive(server.url, 0);
  });

  it("refuses a subscription over the depth limit as it refuses the query", async () => {
    const deep = "subscription { processEvents { process { ... on PaasProcess { environment { module { app { modules { name } } } } } } } }";
    for (const client of [wsClient(server.url), sseClient(server.url)]) {
      const events = record(client, deep);
      await events.completed;
      expect(events.messages[0].errors?.[0]).toMatchObject({ message: "query depth 7 exceeds the limit of 4", extensions: { code: "QUERY_TOO_DEEP" } });
      await client.dispose();
    }
  });

  it("refuses a revoked or unknown token: WebSocket closed with 4403, SSE answered 401", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/graphql`, "graphql-transport-ws");
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: "Bearer no-such-token-0123456789" } }));
    const [code] = await new Promise<[number]>((resolve) => socket.once("close", (c) => resolve([c])));
    expect(code).toBe(4403);

    const response = await fetch(`${server.url}/graphql/stream`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: "Bearer no-such-token-0123456789" },
      body: JSON.stringify({ query: "subscription { processEvents { id } }" }),
    });
    expect(response.status).toBe(401);
  });

  it("caps the subscriptions of one connection", async () => {
    const client = wsClient(server.url);
    const open = [record(client, PROCESS_EVENTS), record(client, PROCESS_EVENTS)];
    await waitActive(server.url, 2);
    const third = record(client, PROCESS_EVENTS);
    await third.completed;
    expect(third.messages[0].errors?.[0]).toMatchObject({ extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } });
    for (const s of open) s.unsubscribe();
    await waitActive(server.url, 0);
    await client.dispose();
  });
});

describe("dashboardSummaryUpdates", () => {
  it("sends the summary at once, then again after a write that changes it", async () => {
    const client = wsClient(server.url, SCOPED);
    const updates = record(client, "subscription { dashboardSummaryUpdates { health { total } } }");
    await updates.waitFor(1);
    const total = (updates.messages[0].data!.dashboardSummaryUpdates as { health: { total: number } }).health.total;
    await processes().insertOne({ bk_process_id: 940, bk_biz_id: 2, bk_process_name: "counted", bk_supplier_account: "0" });
    await updates.waitFor(2);
    expect(updates.messages[1].data).toEqual({ dashboardSummaryUpdates: { health: { total: total + 1 } } });
    await client.dispose();
    await waitActive(server.url, 0);
  });
});

describe("shutdown", () => {
  it("completes every subscription of both transports and closes the sockets", async () => {
    const { startProcgraph } = await import("../../src/server");
    const { loadConfig } = await import("../../src/config");
    const pino = (await import("pino")).default;
    const running = await startProcgraph(
      { ...loadConfig({ PORT: "0", LOG_LEVEL: "silent", SEED_DEMO: "false" }), mongodbDb: database.db.databaseName },
      { logger: pino({ level: "silent" }), connection: { client: database.client, db: database.db } },
    );
    const ws = wsClient(running.url);
    const sse = sseClient(running.url);
    const a = record(ws, PROCESS_EVENTS);
    const b = record(sse, PROCESS_EVENTS);
    await waitActive(running.url, 2);
    await running.stop();
    await Promise.all([a.completed, b.completed]);
    expect([a.messages, b.messages]).toEqual([[], []]);
    await ws.dispose();
    await sse.dispose();
  });
});

describe("a token revoked while connected", () => {
  it("stops receiving within its refresh: the subscription ends with UNAUTHENTICATED", async () => {
    const { hashToken } = await import("../../src/auth/tokens");
    const token = "pgt_live-revoked-token-0123456789abcdef";
    await database.db.collection("procgraph_tokens").insertOne({ name: "revoked-live", sha256: hashToken(token), scope: { cmdbBusinesses: [2], paasApps: [] } });
    const client = wsClient(server.url, token);
    const events = record(client, PROCESS_EVENTS);
    await waitActive(server.url, 1);
    await database.db.collection("procgraph_tokens").updateOne({ name: "revoked-live" }, { $set: { disabled: true } });
    const revokedAt = Date.now();
    await events.completed;
    // The token cache holds an answer 30 s; the subscription re-checks every LIVE_REAUTHORIZE_MS (5 s).
    expect(Date.now() - revokedAt).toBeLessThan(36_000);
    expect(events.messages.at(-1)?.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    await client.dispose();
  }, 60_000);
});
