import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoNetworkError, MongoServerError } from "mongodb";
import { hashToken } from "../../src/auth/tokens";
import { CmdbCollection } from "../../src/cmdb/collections";
import { CmdbStore } from "../../src/cmdb/providers/store";
import {
  CmdbByIdsDocument,
  CmdbHostPageDocument,
  CmdbListsDocument,
  CmdbProcessDetailsDocument,
  CmdbProcessesUpDocument,
  CmdbProcessPageDocument,
  CmdbRelatedInfoIdsDocument,
  CmdbTreeDocument,
} from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { pastDeadlines, TIMEOUT_DETAIL } from "../helpers/deadline";
import { useTestServer } from "../helpers/server";
import { insertFixture } from "../helpers/cmdbFixture";
import { esbCall, nativeCall } from "../helpers/cmdbRest";

// A token scoped to business 2, for the queries only a restricted scope sends (the host checks).
const TOKEN = "token-cmdb-deadline-biz-2-0123456789";
const tokensFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-cmdb-deadline-")), "tokens.json");
fs.writeFileSync(tokensFile, JSON.stringify({ tokens: [{ name: "business-2", sha256: hashToken(TOKEN), scope: { cmdbBusinesses: [2], paasApps: [] } }] }));
const scoped = { authorization: `Bearer ${TOKEN}` };

const database = useTestDatabase();
// Requests without a token read everything (the default on the embedded server).
const server = useTestServer(database, { TOKENS_FILE: tokensFile });

beforeAll(async () => {
  await insertFixture(database.db);
});

afterEach(() => {
  jest.restoreAllMocks();
});

const PAGE = { start: 0, limit: 10 };
/** Steps A to E with a set filter, a sort on a user-defined attribute (cc_ObjAttDes) and every join. */
const FULL_REST_BODY = { set: { bk_set_ids: [11, 12] }, page: { ...PAGE, sort: "-custom_level" } };
const NATIVE_503 = '{"result":false,"bk_error_code":1199002,"bk_error_msg":"HTTP request failed","permission":null,"data":null}';
const ESB_503 = '{"result":false,"code":1199002,"message":"HTTP request failed","data":null}';

describe("the request deadline on CMDB queries", () => {
  it("sends the time left as maxTimeMS with every CMDB command: loaders, pages, counts, distincts, attributes, related info", async () => {
    const { commands } = await database.recordCommands(async () => {
      await server.graphql(CmdbTreeDocument, { bkBizId: 2 });
      await server.graphql(CmdbProcessesUpDocument, { ids: [45, 47] });
      await server.graphql(CmdbListsDocument, { bkBizId: 2 });
      await server.graphql(CmdbProcessPageDocument, { first: 2 });
      await server.graphql(CmdbProcessDetailsDocument, { ids: [45], names: ["custom_level"] });
      await server.graphql(CmdbByIdsDocument, { ids: [4, 9] }, scoped);
      await server.graphql(CmdbHostPageDocument, { first: 1 }, scoped);
      await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 2, page: PAGE });
      expect((await nativeCall(server, 2, FULL_REST_BODY)).json.data?.count).toBe(3);
      expect((await esbCall(server, { bk_biz_id: 2, ...FULL_REST_BODY })).json.data?.count).toBe(3);
    });
    const cmdb = commands.filter((c) => c.collection?.startsWith("cc_"));
    const kinds = new Set(cmdb.map((c) => `${c.name}:${c.collection}`));
    // A find on every collection, and every other kind of command the CMDB code sends.
    for (const kind of [
      ...Object.values(CmdbCollection).map((collection) => `find:${collection}`),
      "aggregate:cc_Process",
      "aggregate:cc_SetBase",
      "aggregate:cc_HostBase",
      "distinct:cc_ServiceInstance",
      "distinct:cc_ProcessInstanceRelation",
    ]) {
      expect(kinds).toContain(kind);
    }
    for (const command of cmdb) {
      expect([`${command.name}:${command.collection}`, command.command.maxTimeMS]).toEqual([`${command.name}:${command.collection}`, expect.any(Number)]);
      expect(command.command.maxTimeMS).toBeGreaterThan(0);
      expect(command.command.maxTimeMS).toBeLessThanOrEqual(15_000);
    }
  });

  it("answers GraphQL with TIMEOUT, without a query, on lists, loaders and cmdbProcessRelatedInfo", async () => {
    pastDeadlines();
    const { result, commands } = await database.recordCommands(async () => [
      await server.graphql(CmdbProcessPageDocument, { first: 2 }),
      await server.graphql(CmdbTreeDocument, { bkBizId: 2 }),
      await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 2, page: PAGE }),
      await server.graphql(CmdbHostPageDocument, { first: 1 }, scoped),
    ]);
    const [page, tree, related, hosts] = result;
    expect(page.errors).toEqual([{ message: TIMEOUT_DETAIL, locations: [{ line: 2, column: 3 }], path: ["cmdbProcessList"], extensions: { code: "TIMEOUT" } }]);
    for (const answer of [tree, related, hosts]) expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["TIMEOUT"]);
    expect(commands.filter((c) => c.collection?.startsWith("cc_"))).toEqual([]);
  });

  it("answers both REST endpoints with 504 and 1199002 in their envelope", async () => {
    pastDeadlines();
    const native = await nativeCall(server, 2, FULL_REST_BODY);
    expect([native.status, native.text]).toEqual([504, NATIVE_503]);
    const esb = await esbCall(server, { bk_biz_id: 2, page: PAGE });
    expect([esb.status, esb.text]).toEqual([504, ESB_503]);
  });
});

describe("CMDB answers for failures that are not the caller's", () => {
  it.each([
    ["a MongoDB outage", "SERVICE_UNAVAILABLE", 503, () => new MongoNetworkError("connection refused")],
    ["MongoDB's own time limit (maxTimeMS, code 50)", "TIMEOUT", 504, () => new MongoServerError({ message: "operation exceeded time limit", code: 50 })],
  ])("answers %s with REST 503 or 504 / 1199002 and GraphQL %s, not as a failed read", async (_name, code, status, failure) => {
    jest.spyOn(CmdbStore.prototype, "query").mockImplementation(() => Promise.reject(failure()));
    const native = await nativeCall(server, 2, { page: PAGE });
    expect([native.status, native.text]).toEqual([status, NATIVE_503]);
    const esb = await esbCall(server, { bk_biz_id: 2, page: PAGE });
    expect([esb.status, esb.text]).toEqual([status, ESB_503]);
    const related = await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 2, page: PAGE });
    expect(related.errors?.map((e) => e.extensions)).toEqual([{ code }]);
    const page = await server.graphql(CmdbProcessPageDocument, { first: 2 });
    expect(page.errors?.map((e) => e.extensions)).toEqual([{ code }]);
  });

  it("answers anything else over REST with a JSON 500 without the error's text", async () => {
    jest.spyOn(CmdbStore.prototype, "query").mockImplementation(() => Promise.reject(new Error("secret internals at /srv/procgraph/x.js:1")));
    const response = await server.request("/api/v3/findmany/proc/process_related_info/biz/2", {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "cmdb-500" },
      body: JSON.stringify({ page: PAGE }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: "INTERNAL_SERVER_ERROR", detail: "Internal server error", request_id: "cmdb-500" });
  });
});
