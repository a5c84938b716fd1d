import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { hashToken } from "../../src/auth/tokens";
import {
  CmdbByIdsDocument,
  CmdbHostDownDocument,
  CmdbHostPageDocument,
  CmdbListsDocument,
  CmdbProcessDashboardPageDocument,
  CmdbProcessDetailsDocument,
  CmdbProcessesUpDocument,
  CmdbProcessPageDocument,
  CmdbRelatedInfoDashboardDocument,
  CmdbRelatedInfoIdsDocument,
  CmdbTreeDocument,
} from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer, type TestServer } from "../helpers/server";
import { insertFixture } from "../helpers/cmdbFixture";
import { esbCall, nativeCall, RELATED_INFO_COMMANDS, RELATED_INFO_GRAPHQL_COMMANDS } from "../helpers/cmdbRest";

// The fixture's businesses: 2 (owner "0": sets 11-13, hosts 4 and 5, processes 45-48 and 91 of
// owner tencent) and 3 (owner tencent: set 21, module 71, instance 8, host 9, process 90). The
// superadmin owner lifts the owner scope, so what these tests see is the access scope's doing.
// Tokens come from a file: resolving one sends no command.
const TOKENS = {
  biz2: "token-cmdb-business-2-0123456789",
  biz3: "token-cmdb-business-3-0123456789",
  all: "token-cmdb-scope-all-0123456789ab",
  none: "token-cmdb-no-business-0123456789",
};
const tokensFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-cmdb-tokens-")), "tokens.json");
fs.writeFileSync(
  tokensFile,
  JSON.stringify({
    tokens: [
      { name: "business-2", sha256: hashToken(TOKENS.biz2), scope: { cmdbBusinesses: [2], paasApps: "*" } },
      { name: "business-3", sha256: hashToken(TOKENS.biz3), scope: { cmdbBusinesses: [3] } },
      { name: "everything", sha256: hashToken(TOKENS.all), scope: "*" },
      { name: "paas-only", sha256: hashToken(TOKENS.none), scope: { cmdbBusinesses: [], paasApps: "*" } },
    ],
  }),
);
const SUPERADMIN = { "X-Bkcmdb-Supplier-Account": "superadmin" };
const as = (token: string, owner: Record<string, string> = SUPERADMIN) => ({ authorization: `Bearer ${token}`, ...owner });

const database = useTestDatabase();
const server = useTestServer(database, { ANONYMOUS_SCOPE: "none", TOKENS_FILE: tokensFile });
// Requests without a token read business 3 only.
const anonymousServer = useTestServer(database, { ANONYMOUS_SCOPE: '{"cmdbBusinesses":[3],"paasApps":[]}' });

beforeAll(async () => {
  await insertFixture(database.db);
});

/** The commands an action sends to the CMDB collections. */
async function cmdbCommands<T>(action: () => Promise<T>) {
  const recorded = await database.recordCommands(action);
  const commands = recorded.commands.filter((c) => c.collection?.startsWith("cc_"));
  return { result: recorded.result, commands, summary: commands.map((c) => `${c.name}:${c.collection}`) };
}

/** The GraphQL answer as sent, for byte comparisons. */
async function rawGraphql<R, V>(target: TestServer, document: TypedDocumentNode<R, V>, variables: V, headers: Record<string, string>) {
  const response = await target.request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

const PAGE_1 = { start: 0, limit: 10 };
const EMPTY_PAGE = { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [], nodes: [] };

describe("CMDB access scope: root lists, counts and cursors", () => {
  it("lists and counts only the processes of the token's business, filtered in MongoDB beside the owner scope", async () => {
    const { result, commands } = await cmdbCommands(() => server.graphql(CmdbProcessPageDocument, { first: 5 }, as(TOKENS.biz3)));
    expect(result.errors).toBeUndefined();
    expect(result.data!.cmdbProcessList).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false }, nodes: [{ bkProcessId: 90 }] });
    expect(commands.map((c) => c.command.filter ?? c.command.pipeline)).toContainEqual({ bk_biz_id: { $in: [3] } });

    // Owner "0" and business 3 (of owner tencent): both filters apply, nothing is left.
    const owned = await server.graphql(CmdbProcessPageDocument, { first: 5 }, as(TOKENS.biz3, {}));
    expect(owned.data!.cmdbProcessList).toEqual(EMPTY_PAGE);
  });

  it("pages through the token's processes with cursors and the scoped total on every page", async () => {
    const first = await server.graphql(CmdbProcessPageDocument, { first: 3 }, as(TOKENS.biz2));
    const page1 = first.data!.cmdbProcessList;
    expect(page1.nodes.map((n) => n.bkProcessId)).toEqual([45, 46, 47]);
    expect(page1.totalCount).toBe(5);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await server.graphql(CmdbProcessPageDocument, { first: 3, after: page1.pageInfo.endCursor }, as(TOKENS.biz2));
    expect(second.data!.cmdbProcessList.nodes.map((n) => n.bkProcessId)).toEqual([48, 91]);
    expect(second.data!.cmdbProcessList).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: false } });
    const all = await server.graphql(CmdbProcessPageDocument, { first: 10 }, as(TOKENS.all));
    expect(all.data!.cmdbProcessList.totalCount).toBe(6);
  });

  it("answers a list filtered on another business with an empty page, without a query", async () => {
    const { result, summary } = await cmdbCommands(() => server.graphql(CmdbProcessPageDocument, { bkBizId: 3, first: 5 }, as(TOKENS.biz2)));
    expect(result.data!.cmdbProcessList).toEqual(EMPTY_PAGE);
    expect(summary).toEqual([]);
  });

  it("scopes every root list (businesses, sets, modules, service instances, hosts, templates)", async () => {
    const biz3 = await server.graphql(CmdbListsDocument, {}, as(TOKENS.biz3));
    expect(biz3.errors).toBeUndefined();
    expect(biz3.data).toEqual({
      cmdbBusinessList: { nodes: [{ bkBizId: 3 }] },
      cmdbSetList: { totalCount: 1, nodes: [{ bkSetId: 21 }] },
      cmdbModuleList: { nodes: [{ bkModuleId: 71 }] },
      cmdbServiceInstanceList: { nodes: [{ serviceInstanceId: 8 }] },
      cmdbHostList: { nodes: [] },
      cmdbProcessTemplateList: { nodes: [] },
    });
    const biz2 = await server.graphql(CmdbListsDocument, {}, as(TOKENS.biz2));
    expect(biz2.data).toMatchObject({
      cmdbBusinessList: { nodes: [{ bkBizId: 2 }] },
      cmdbSetList: { totalCount: 3 },
      cmdbHostList: { nodes: [{ bkHostId: 5 }] },
      cmdbProcessTemplateList: { nodes: [{ processTemplateId: 48 }, { processTemplateId: 49 }] },
    });
  });

  it("gives a token without CMDB businesses empty lists, without a query", async () => {
    const { result, summary } = await cmdbCommands(() => server.graphql(CmdbListsDocument, {}, as(TOKENS.none)));
    expect(result.data).toEqual({
      cmdbBusinessList: { nodes: [] },
      cmdbSetList: { totalCount: 0, nodes: [] },
      cmdbModuleList: { nodes: [] },
      cmdbServiceInstanceList: { nodes: [] },
      cmdbHostList: { nodes: [] },
      cmdbProcessTemplateList: { nodes: [] },
    });
    expect(summary).toEqual([]);
  });
});

describe("CMDB access scope: by id, by ids, navigation, attributes", () => {
  it("answers by-ids with null for the entities of other businesses, in key order", async () => {
    const ids = [2, 3, 21, 71, 8, 4, 48];
    const biz3 = await server.graphql(CmdbByIdsDocument, { ids }, as(TOKENS.biz3));
    expect(biz3.data).toEqual({
      cmdbBusinesses: [null, { bkBizId: 3 }, null, null, null, null, null],
      cmdbSets: [null, null, { bkSetId: 21 }, null, null, null, null],
      cmdbModules: [null, null, null, { bkModuleId: 71 }, null, null, null],
      cmdbServiceInstances: [null, null, null, null, { serviceInstanceId: 8 }, null, null],
      cmdbHosts: [null, null, null, null, null, null, null],
      cmdbProcessTemplates: [null, null, null, null, null, null, null],
    });
    const all = await server.graphql(CmdbByIdsDocument, { ids }, as(TOKENS.all));
    expect(all.data).toMatchObject({ cmdbBusinesses: [{ bkBizId: 2 }, { bkBizId: 3 }, null, null, null, null, null], cmdbServiceInstances: [null, null, null, null, { serviceInstanceId: 8 }, { serviceInstanceId: 4 }, null] });
  });

  it("answers by id for another business exactly as for an unknown id, without a query for a business key", async () => {
    const { result, summary } = await cmdbCommands(() => rawGraphql(server, CmdbTreeDocument, { bkBizId: 2 }, as(TOKENS.biz3)));
    expect(summary).toEqual([]);
    expect(result).toEqual(await rawGraphql(server, CmdbTreeDocument, { bkBizId: 999 }, as(TOKENS.biz3)));
    expect(JSON.parse(result.text)).toEqual({ data: { cmdbBusiness: null } });
  });

  it("walks down and up inside the business only", async () => {
    const tree = await server.graphql(CmdbTreeDocument, { bkBizId: 3 }, as(TOKENS.biz3));
    expect(tree.data!.cmdbBusiness?.sets.map((s) => [s.bkSetId, s.modules.map((m) => [m.bkModuleId, m.serviceInstances.map((i) => [i.serviceInstanceId, i.processes.map((p) => p.bkProcessId)])])])).toEqual([
      [21, [[71, [[8, [90]]]]]],
    ]);
    const up = await server.graphql(CmdbProcessesUpDocument, { ids: [90, 45] }, as(TOKENS.biz3));
    expect(up.errors).toBeUndefined();
    expect(up.data!.cmdbProcesses).toEqual([
      {
        bkProcessId: 90,
        serviceInstance: { serviceInstanceId: 8, module: { bkModuleId: 71, set: { bkSetId: 21, business: { bkBizId: 3, bkBizName: "tenant biz" } } } },
        host: { bkHostId: 9, bkHostInnerip: ["10.9.9.9"] },
        processTemplate: null,
      },
      null,
    ]);
  });

  it("returns attributes only of processes in scope", async () => {
    const result = await server.graphql(CmdbProcessDetailsDocument, { ids: [45, 90], names: ["custom_level"] }, as(TOKENS.biz2));
    expect(result.errors).toBeUndefined();
    expect(result.data!.cmdbProcesses.map((p) => p && { id: p.bkProcessId, attributes: p.attributes })).toEqual([{ id: 45, attributes: { custom_level: 3 } }, null]);
  });
});

describe("CMDB access scope: hosts (in scope when a service instance of an allowed business runs on them)", () => {
  it("answers cmdbHost(s) with the hosts of the token's businesses, null for the others", async () => {
    const ids = [4, 5, 9];
    const biz2 = await cmdbCommands(() => server.graphql(CmdbByIdsDocument, { ids }, as(TOKENS.biz2)));
    expect(biz2.result.data!.cmdbHosts).toEqual([{ bkHostId: 4 }, { bkHostId: 5 }, null]);
    const biz3 = await server.graphql(CmdbByIdsDocument, { ids }, as(TOKENS.biz3));
    expect(biz3.data!.cmdbHosts).toEqual([null, null, { bkHostId: 9 }]);
    const all = await server.graphql(CmdbByIdsDocument, { ids }, as(TOKENS.all));
    expect(all.data!.cmdbHosts).toEqual([{ bkHostId: 4 }, { bkHostId: 5 }, { bkHostId: 9 }]);
  });

  it("checks hosts with one service-instance query sent beside the hosts' (scope all: the hosts' alone)", async () => {
    const scoped = await cmdbCommands(() => server.graphql(CmdbHostDownDocument, { id: 9 }, as(TOKENS.biz2)));
    expect(scoped.result.data!.cmdbHost).toBeNull();
    expect(scoped.summary).toEqual(["find:cc_HostBase", "find:cc_ServiceInstance"]);
    expect(scoped.commands[1].command.filter).toEqual({ bk_host_id: { $in: [9] }, bk_biz_id: { $in: [2] } });
    // A host in scope: the check is the one command scope all does not send.
    const all = await cmdbCommands(() => server.graphql(CmdbHostDownDocument, { id: 4 }, as(TOKENS.all)));
    const inScope = await cmdbCommands(() => server.graphql(CmdbHostDownDocument, { id: 4 }, as(TOKENS.biz2)));
    expect(inScope.result.data).toEqual(all.result.data);
    expect(all.summary[0]).toBe("find:cc_HostBase");
    expect([...inScope.summary].sort()).toEqual([...all.summary, "find:cc_ServiceInstance"].sort());
  });

  it("walks down from a host in scope to the token's service instances and processes only", async () => {
    const host = await server.graphql(CmdbHostDownDocument, { id: 4 }, as(TOKENS.biz2));
    expect(host.data!.cmdbHost).toMatchObject({ bkHostId: 4, serviceInstances: [{ serviceInstanceId: 4 }], processes: [{ bkProcessId: 45 }, { bkProcessId: 46 }] });
  });

  it("lists and counts the hosts of the token's businesses, with cursors", async () => {
    const { result, summary } = await cmdbCommands(() => server.graphql(CmdbHostPageDocument, { first: 1 }, as(TOKENS.biz2)));
    const page1 = result.data!.cmdbHostList;
    expect(page1).toMatchObject({ totalCount: 2, nodes: [{ bkHostId: 4 }], pageInfo: { hasNextPage: true } });
    expect(summary).toEqual(["distinct:cc_ServiceInstance", "find:cc_HostBase", "aggregate:cc_HostBase"]);
    const page2 = await server.graphql(CmdbHostPageDocument, { first: 1, after: page1.pageInfo.endCursor }, as(TOKENS.biz2));
    expect(page2.data!.cmdbHostList).toMatchObject({ totalCount: 2, nodes: [{ bkHostId: 5 }], pageInfo: { hasNextPage: false } });
    const biz3 = await server.graphql(CmdbHostPageDocument, { first: 5 }, as(TOKENS.biz3));
    expect(biz3.data!.cmdbHostList).toMatchObject({ totalCount: 1, nodes: [{ bkHostId: 9 }] });
    const all = await cmdbCommands(() => server.graphql(CmdbHostPageDocument, { first: 5 }, as(TOKENS.all)));
    expect(all.result.data!.cmdbHostList.totalCount).toBe(3);
    expect(all.summary).toEqual(["find:cc_HostBase", "aggregate:cc_HostBase"]);
  });
});

describe("CMDB access scope: list_process_related_info", () => {
  const PAGE = { start: 0, limit: 10 };

  it("answers cmdbProcessRelatedInfo for another business exactly as for a business without processes, without a query", async () => {
    const { result, summary } = await cmdbCommands(() => rawGraphql(server, CmdbRelatedInfoIdsDocument, { bkBizId: 3, page: PAGE }, as(TOKENS.biz2)));
    expect(summary).toEqual([]);
    expect(result).toEqual(await rawGraphql(server, CmdbRelatedInfoIdsDocument, { bkBizId: 999, page: PAGE }, as(TOKENS.biz2)));
    expect(JSON.parse(result.text)).toEqual({ data: { cmdbProcessRelatedInfo: { count: 0, info: [] } } });
    // The same request in scope finds the process, and validation still answers first.
    const own = await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 3, page: PAGE }, as(TOKENS.biz3));
    expect(own.data!.cmdbProcessRelatedInfo).toEqual({ count: 1, info: [{ process: { bkProcessId: 90 } }] });
    const invalid = await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 3, page: { limit: 0 } }, as(TOKENS.biz2));
    expect(invalid.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", bkErrorCode: 1199006 });
  });

  it.each([
    ["native", (bizId: number, headers: Record<string, string>) => nativeCall(server, bizId, { page: PAGE }, headers)],
    ["ESB", (bizId: number, headers: Record<string, string>) => esbCall(server, { bk_biz_id: bizId, page: PAGE }, headers)],
  ])("answers the %s endpoint for another business byte for byte as for a business without processes, without a query", async (_name, call) => {
    const { result, summary } = await cmdbCommands(() => call(3, as(TOKENS.biz2)));
    expect(summary).toEqual([]);
    const unknown = await call(999, as(TOKENS.biz2));
    expect(result.status).toBe(200);
    expect(result.text).toBe(unknown.text);
    expect(result.json.data).toEqual({ count: 0, info: [] });
    expect((await call(3, as(TOKENS.biz3))).json.data?.count).toBe(1);
  });

  it("answers the whole business set of a token without businesses as empty, without a query", async () => {
    const { result, summary } = await cmdbCommands(() => nativeCall(server, 2, { set: { bk_set_ids: [11] }, page: PAGE }, as(TOKENS.none)));
    expect(result.json.data).toEqual({ count: 0, info: [] });
    expect(summary).toEqual([]);
  });
});

describe("CMDB access scope: other callers", () => {
  it("answers both REST endpoints without a token with 401 in their envelope (upstream's 1100004)", async () => {
    const native = await nativeCall(server, 2, { page: PAGE_1 });
    expect(native.status).toBe(401);
    expect(native.text).toBe(
      '{"result":false,"bk_error_code":1100004,"bk_error_msg":"call source authentication failed: authentication required: send Authorization: Bearer <token>","permission":null,"data":null}',
    );
    const esb = await esbCall(server, { bk_biz_id: 2, page: PAGE_1 });
    expect(esb.status).toBe(401);
    expect(esb.text).toBe('{"result":false,"code":1100004,"message":"call source authentication failed: authentication required: send Authorization: Bearer <token>","data":null}');
    const wrong = await esbCall(server, { bk_biz_id: 2, page: PAGE_1 }, { authorization: "Bearer not-a-configured-token-at-all" });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe('{"result":false,"code":1100004,"message":"call source authentication failed: invalid or revoked token","data":null}');
  });

  it("applies ANONYMOUS_SCOPE to requests without a token (GraphQL and REST)", async () => {
    const page = await anonymousServer.graphql(CmdbProcessPageDocument, { first: 10 }, SUPERADMIN);
    expect(page.data!.cmdbProcessList).toMatchObject({ totalCount: 1, nodes: [{ bkProcessId: 90 }] });
    expect((await nativeCall(anonymousServer, 3, { page: PAGE_1 }, SUPERADMIN)).json.data?.count).toBe(1);
    const hidden = await nativeCall(anonymousServer, 2, { page: PAGE_1 }, SUPERADMIN);
    expect(hidden.text).toBe((await nativeCall(anonymousServer, 999, { page: PAGE_1 }, SUPERADMIN)).text);
    expect(hidden.json.data).toEqual({ count: 0, info: [] });
  });

  it("lets a scope-all token see everything", async () => {
    const lists = await server.graphql(CmdbListsDocument, {}, as(TOKENS.all));
    expect(lists.data!.cmdbBusinessList.nodes).toEqual([{ bkBizId: 2 }, { bkBizId: 3 }]);
    for (const bizId of [2, 3]) expect((await nativeCall(server, bizId, { page: PAGE_1 }, as(TOKENS.all))).json.data?.count).toBeGreaterThan(0);
  });
});

describe("CMDB access scope: round trips", () => {
  it("costs the process dashboard page the same 7 commands with a scoped token as with scope all", async () => {
    const all = await cmdbCommands(() => server.graphql(CmdbProcessDashboardPageDocument, { bkBizId: 2, first: 10 }, as(TOKENS.all)));
    const scoped = await cmdbCommands(() => server.graphql(CmdbProcessDashboardPageDocument, { bkBizId: 2, first: 10 }, as(TOKENS.biz2)));
    expect(scoped.result.data).toEqual(all.result.data);
    const expected = ["find:cc_HostBase", "find:cc_ModuleBase", "find:cc_Process", "find:cc_ProcessInstanceRelation", "find:cc_ProcessTemplate", "find:cc_ServiceInstance", "find:cc_SetBase"];
    expect([...all.summary].sort()).toEqual(expected);
    expect([...scoped.summary].sort()).toEqual(expected);
    // Scope all adds nothing to the filters; a scoped token adds its businesses.
    expect(all.commands.find((c) => c.collection === "cc_Process")!.command.filter).toEqual({ bk_biz_id: 2 });
    expect(scoped.commands.find((c) => c.collection === "cc_ProcessInstanceRelation")!.command.filter).toMatchObject({ bk_biz_id: { $in: [2] } });
  });

  it("costs the tree the same 6 commands with a scoped token as with scope all", async () => {
    const all = await cmdbCommands(() => server.graphql(CmdbTreeDocument, { bkBizId: 2 }, as(TOKENS.all, {})));
    const scoped = await cmdbCommands(() => server.graphql(CmdbTreeDocument, { bkBizId: 2 }, as(TOKENS.biz2, {})));
    expect(scoped.result.data).toEqual(all.result.data);
    const expected = ["find:cc_ApplicationBase", "find:cc_SetBase", "find:cc_ModuleBase", "find:cc_ServiceInstance", "find:cc_ProcessInstanceRelation", "find:cc_Process"];
    expect(all.summary).toEqual(expected);
    expect(scoped.summary).toEqual(expected);
    expect(all.commands[2].command.filter).toEqual({ bk_set_id: { $in: [11, 12, 13] }, bk_supplier_account: "0" });
    expect(scoped.commands[2].command.filter).toEqual({ bk_set_id: { $in: [11, 12, 13] }, bk_supplier_account: "0", bk_biz_id: { $in: [2] } });
  });

  it("costs list_process_related_info the same commands in scope as with scope all (REST 7, GraphQL 8), with the same filters", async () => {
    const restAll = await cmdbCommands(() => nativeCall(server, 2, { page: PAGE_1 }, as(TOKENS.all)));
    const restScoped = await cmdbCommands(() => nativeCall(server, 2, { page: PAGE_1 }, as(TOKENS.biz2)));
    expect(restScoped.result.text).toBe(restAll.result.text);
    expect([...restAll.summary].sort()).toEqual(RELATED_INFO_COMMANDS);
    expect([...restScoped.summary].sort()).toEqual(RELATED_INFO_COMMANDS);
    expect(restScoped.commands.map((c) => c.command.filter)).toEqual(restAll.commands.map((c) => c.command.filter));
    const gqlAll = await cmdbCommands(() => server.graphql(CmdbRelatedInfoDashboardDocument, { bkBizId: 2, page: PAGE_1 }, as(TOKENS.all)));
    const gqlScoped = await cmdbCommands(() => server.graphql(CmdbRelatedInfoDashboardDocument, { bkBizId: 2, page: PAGE_1 }, as(TOKENS.biz2)));
    expect(gqlScoped.result).toEqual(gqlAll.result);
    expect([...gqlAll.summary].sort()).toEqual(RELATED_INFO_GRAPHQL_COMMANDS);
    expect([...gqlScoped.summary].sort()).toEqual(RELATED_INFO_GRAPHQL_COMMANDS);
  });
});
