import { APP_BUSINESS_LINKS } from "../../src/crossmodel/collections";
import { PaasWriter } from "../../src/paas/providers/writer";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { encodeId, insertGraphFixture, tokensFile } from "../helpers/crossModelFixture";
import { record, sseClient, waitActive, wsClient } from "../helpers/liveClients";

const SCOPED = "token-share-biz2-example-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, {
  TOKENS_FILE: tokensFile({ "biz2-example": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example"] } } }),
});

beforeAll(async () => {
  await insertGraphFixture(database.db);
  // The app is linked to business 3: the unscoped caller sees that business, the scoped one may not.
  await database.db.collection(APP_BUSINESS_LINKS).updateOne({ _id: "example" as never }, { $set: { bk_biz_id: 3, updated_at: new Date() } }, { upsert: true });
});

const DOCUMENT = "subscription Shared { processEvents(filter: { paasAppCode: \"example\" }) { type id process { name cmdbBusinessId } } }";

async function executions(): Promise<{ shared: number; run: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const value = (shared: string) => Number(text.split("\n").find((l) => l.startsWith(`procgraph_subscription_executions_total{shared="${shared}"}`))?.split(" ").pop() ?? 0);
  return { shared: value("true"), run: value("false") };
}

describe("identical subscriptions share one execution per event (docs/graph.md \"Live updates\")", () => {
  it("runs an event once per scope: identical subscribers get that result, a subscriber of another scope its own", async () => {
    // Three unscoped subscribers (two graphql-ws, one graphql-sse) and two scoped ones: same document.
    const clients = [wsClient(server.url), wsClient(server.url), sseClient(server.url), wsClient(server.url, SCOPED), sseClient(server.url, SCOPED)];
    const received = clients.map((client) => record(client, DOCUMENT));
    await waitActive(server.url, 5);
    const before = await executions();

    const env = "example/default/prod";
    await new PaasWriter(database.db).upsertProcess({ env_id: env, type: "share", name: "example--share", command: "x", replicas: 1, success: 1, version: 1 });
    for (const r of received) await r.waitFor(1);
    const id = encodeId("PaasProcess", `${env}/share`);
    const [a, b, c, scopedWs, scopedSse] = received.map((r) => r.messages);
    const unscoped = { data: { processEvents: { type: "ADDED", id, process: { name: "example--share", cmdbBusinessId: 3 } } } };
    const scoped = { data: { processEvents: { type: "ADDED", id, process: { name: "example--share", cmdbBusinessId: null } } } };
    expect([a, b, c]).toEqual([[unscoped], [unscoped], [unscoped]]);
    // Never the business the other scope's execution resolved.
    expect([scopedWs, scopedSse]).toEqual([[scoped], [scoped]]);

    // One execution per scope, the three others shared.
    const after = await executions();
    expect({ run: after.run - before.run, shared: after.shared - before.shared }).toEqual({ run: 2, shared: 3 });

    for (const r of received) r.unsubscribe();
    for (const client of clients) await client.dispose();
    await waitActive(server.url, 0);
  });

  it("does not share between subscriptions whose variables differ", async () => {
    const query = "subscription V($filter: ProcessFilter) { processEvents(filter: $filter) { type id } }";
    const first = wsClient(server.url);
    const second = wsClient(server.url);
    const one = record(first, query, { filter: { paasAppCode: "example" } });
    const other = record(second, query, { filter: { source: "PAAS" } });
    await waitActive(server.url, 2);
    const before = await executions();
    await new PaasWriter(database.db).upsertProcess({ env_id: "example/default/prod", type: "vars", name: "example--vars", command: "x", replicas: 1, success: 1, version: 1 });
    await one.waitFor(1);
    await other.waitFor(1);
    const after = await executions();
    expect({ run: after.run - before.run, shared: after.shared - before.shared }).toEqual({ run: 2, shared: 0 });
    expect(one.messages).toEqual(other.messages);
    for (const client of [first, second]) await client.dispose();
    await waitActive(server.url, 0);
  });
});
