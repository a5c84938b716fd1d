import {
  CmdbAllAttributesDocument,
  CmdbByIdsDocument,
  CmdbHostDownDocument,
  CmdbListsDocument,
  CmdbProcessDetailsDocument,
  CmdbProcessesUpDocument,
  CmdbProcessPageDocument,
  CmdbTreeDocument,
} from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertFixture } from "../helpers/cmdbFixture";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  await insertFixture(database.db);
});

describe("navigation down the tree", () => {
  it("walks business → sets → modules → service instances → processes with one query per level", async () => {
    const { result, summary, commands } = await database.recordCommands(() => server.graphql(CmdbTreeDocument, { bkBizId: 2 }));
    expect(result.errors).toBeUndefined();
    const business = result.data?.cmdbBusiness;
    expect(business?.bkBizName).toBe("blueking");
    expect(business?.sets.map((s) => [s.bkSetId, s.modules.map((m) => [m.bkModuleId, m.default, m.serviceInstances.map((i) => [i.serviceInstanceId, i.processes.map((p) => p.bkProcessId)])])])).toEqual([
      [11, [[60, 0, [[4, [45, 46]]]]]],
      [12, [[61, 0, [[5, [47]]]]]],
      [13, [[62, 1, []], [63, 2, []]]],
    ]);
    expect(summary).toEqual([
      "find:cc_ApplicationBase",
      "find:cc_SetBase",
      "find:cc_ModuleBase",
      "find:cc_ServiceInstance",
      "find:cc_ProcessInstanceRelation",
      "find:cc_Process",
    ]);
    // Each level asks for all its parents at once, with the owner scope and the selected fields.
    expect(commands[2].command.filter).toEqual({ bk_set_id: { $in: [11, 12, 13] }, bk_supplier_account: "0" });
    expect(commands[2].command.projection).toEqual({ _id: 0, bk_biz_id: 1, bk_module_id: 1, bk_module_name: 1, bk_set_id: 1, default: 1 });
    expect(commands[5].command.filter).toEqual({ bk_process_id: { $in: [45, 46, 47] }, bk_supplier_account: "0" });
  });

  it("walks host → service instances and processes", async () => {
    const result = await server.graphql(CmdbHostDownDocument, { id: 4 });
    expect(result.data?.cmdbHost).toEqual({
      bkHostId: 4,
      bkHostInnerip: ["192.168.15.22"],
      bkHostInneripV6: ["0000:0000:0000:0000:0000:0000:0000:0001"],
      serviceInstances: [{ serviceInstanceId: 4, module: { bkModuleName: "mm1" } }],
      processes: [{ bkProcessId: 45 }, { bkProcessId: 46 }],
    });
  });
});

describe("navigation up the tree", () => {
  it("walks process → service instance → module → set → business, and to host and template, batched per level; ids in key order, null for a miss", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(CmdbProcessesUpDocument, { ids: [47, 999, 45, 48, 46] }));
    expect(result.errors).toBeUndefined();
    const business = { bkBizId: 2, bkBizName: "blueking" };
    const up = (svc: number, module: number, set: number) => ({ serviceInstanceId: svc, module: { bkModuleId: module, set: { bkSetId: set, business } } });
    expect(result.data?.cmdbProcesses).toEqual([
      { bkProcessId: 47, serviceInstance: up(5, 61, 12), host: { bkHostId: 5, bkHostInnerip: ["10.0.0.5", "10.0.0.6"] }, processTemplate: null },
      null,
      { bkProcessId: 45, serviceInstance: up(4, 60, 11), host: { bkHostId: 4, bkHostInnerip: ["192.168.15.22"] }, processTemplate: { processTemplateId: 48 } },
      { bkProcessId: 48, serviceInstance: null, host: null, processTemplate: null },
      { bkProcessId: 46, serviceInstance: up(4, 60, 11), host: { bkHostId: 4, bkHostInnerip: ["192.168.15.22"] }, processTemplate: { processTemplateId: 49 } },
    ]);
    // One process query, one relation query for all three links, then one query per collection and level.
    expect(summary.slice(0, 2)).toEqual(["find:cc_Process", "find:cc_ProcessInstanceRelation"]);
    // The host, template and service-instance levels interleave with module and set; each is one query.
    expect([...summary.slice(2)].sort()).toEqual([
      "find:cc_ApplicationBase",
      "find:cc_HostBase",
      "find:cc_ModuleBase",
      "find:cc_ProcessTemplate",
      "find:cc_ServiceInstance",
      "find:cc_SetBase",
    ]);
    expect(summary.indexOf("find:cc_ModuleBase")).toBeGreaterThan(summary.indexOf("find:cc_ServiceInstance"));
    expect(summary.indexOf("find:cc_SetBase")).toBeGreaterThan(summary.indexOf("find:cc_ModuleBase"));
  });
});

describe("root fields", () => {
  it("answers by-ids for every type in key order with null for misses", async () => {
    const result = await server.graphql(CmdbByIdsDocument, { ids: [61, 4, 12, 2, 48] });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      cmdbBusinesses: [null, null, null, { bkBizId: 2 }, null],
      cmdbSets: [null, null, { bkSetId: 12 }, null, null],
      cmdbModules: [{ bkModuleId: 61 }, null, null, null, null],
      cmdbServiceInstances: [null, { serviceInstanceId: 4 }, null, null, null],
      cmdbHosts: [null, { bkHostId: 4 }, null, null, null],
      cmdbProcessTemplates: [null, null, null, null, { processTemplateId: 48 }],
    });
  });

  it("filters the root lists", async () => {
    const result = await server.graphql(CmdbListsDocument, { bkBizId: 2 });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      cmdbBusinessList: { nodes: [{ bkBizId: 2 }] },
      cmdbSetList: { totalCount: 3, nodes: [{ bkSetId: 11 }, { bkSetId: 12 }, { bkSetId: 13 }] },
      cmdbModuleList: { nodes: [{ bkModuleId: 60 }, { bkModuleId: 61 }] },
      cmdbServiceInstanceList: { nodes: [{ serviceInstanceId: 4 }, { serviceInstanceId: 5 }] },
      cmdbHostList: { nodes: [{ bkHostId: 5 }] },
      cmdbProcessTemplateList: { nodes: [{ processTemplateId: 48, processes: [{ bkProcessId: 45 }] }, { processTemplateId: 49, processes: [{ bkProcessId: 46 }] }] },
    });
  });

  it("pages with opaque cursors in key order, the total on every page", async () => {
    const first = await server.graphql(CmdbProcessPageDocument, { bkBizId: 2, first: 3 });
    const page1 = first.data!.cmdbProcessList;
    expect(page1.nodes.map((n) => n.bkProcessId)).toEqual([45, 46, 47]);
    expect(page1.edges.map((e) => e.node.bkProcessId)).toEqual([45, 46, 47]);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[2].cursor });
    expect(page1.totalCount).toBe(4);
    expect(page1.pageInfo.endCursor).not.toMatch(/47/);

    const second = await server.graphql(CmdbProcessPageDocument, { bkBizId: 2, first: 3, after: page1.pageInfo.endCursor });
    expect(second.data!.cmdbProcessList.nodes).toEqual([{ bkProcessId: 48, bkProcessName: "orphan" }]);
    expect(second.data!.cmdbProcessList.pageInfo.hasNextPage).toBe(false);
    expect(second.data!.cmdbProcessList.totalCount).toBe(4);

    const third = await server.graphql(CmdbProcessPageDocument, { bkBizId: 2, after: second.data!.cmdbProcessList.pageInfo.endCursor });
    expect(third.data!.cmdbProcessList).toMatchObject({ nodes: [], edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 4 });
  });

  it("counts only when totalCount is selected, and reads nodes with one query", async () => {
    const { summary } = await database.recordCommands(() => server.graphql(CmdbProcessPageDocument, { bkBizId: 2, first: 2 }));
    expect(summary).toEqual(["find:cc_Process", "aggregate:cc_Process"]);
  });

  it.each([
    ["a cursor of another list", { after: Buffer.from(JSON.stringify(["set", 11])).toString("base64url") }, "after: not a cursor of this list"],
    ["a forged cursor", { after: Buffer.from(JSON.stringify(["process", { $gt: 0 }])).toString("base64url") }, "after: not a cursor of this list"],
    ["garbage", { after: "%%%" }, "after: not a cursor of this list"],
    ["first 0", { first: 0 }, "first: between 1 and 500"],
    ["first 501", { first: 501 }, "first: between 1 and 500"],
  ])("refuses %s", async (_name, variables, message) => {
    const result = await server.graphql(CmdbProcessPageDocument, { bkBizId: 2, ...variables });
    expect(result.errors?.[0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT" } });
  });

  it("applies the owner scope to the graph", async () => {
    const ids = [91, 45];
    const plain = await server.graphql(CmdbProcessDetailsDocument, { ids });
    expect(plain.data?.cmdbProcesses.map((p) => p?.bkProcessId ?? null)).toEqual([null, 45]);
    const owner = await server.graphql(CmdbProcessDetailsDocument, { ids }, { "X-Bkcmdb-Supplier-Account": "tencent" });
    expect(owner.data?.cmdbProcesses.map((p) => p?.bkProcessId ?? null)).toEqual([91, 45]);
  });
});

describe("process attributes", () => {
  it("types bind_info, backfills the time fields and returns user-defined attributes by name", async () => {
    const { result, commands } = await database.recordCommands(() => server.graphql(CmdbProcessDetailsDocument, { ids: [45, 46], names: ["custom_level"] }));
    expect(result.errors).toBeUndefined();
    expect(result.data?.cmdbProcesses).toEqual([
      {
        bkProcessId: 45,
        attributes: { custom_level: 3 },
        bkCreatedAt: "2026-11-22T08:00:00.000Z",
        bkUpdatedAt: "2026-11-22T09:00:00.000Z",
        bindInfo: [{ ip: "192.168.15.22", port: "3333", protocol: "1", enable: true, templateRowId: 1 }],
      },
      { bkProcessId: 46, attributes: { custom_level: 1 }, bkCreatedAt: "2026-11-01T00:00:00.000Z", bkUpdatedAt: "2026-11-23T10:30:00.000Z", bindInfo: [] },
    ]);
    expect(commands[0].command.projection).toEqual({
      _id: 0,
      bind_info: 1,
      bk_biz_id: 1,
      bk_created_at: 1,
      bk_process_id: 1,
      bk_updated_at: 1,
      create_time: 1,
      custom_level: 1,
      last_time: 1,
    });
  });

  it("returns every declared user-defined attribute without names", async () => {
    const result = await server.graphql(CmdbAllAttributesDocument, { id: 47 });
    expect(result.data?.cmdbProcess).toEqual({ bkProcessId: 47, attributes: { custom_level: 3 } });
  });

  it.each([[["bk_process_name"]], [["$where"]], [["host_only"]]])("refuses names %j", async (names) => {
    const result = await server.graphql(CmdbProcessDetailsDocument, { ids: [45], names });
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});
