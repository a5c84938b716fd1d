import { GraphProcessesDocument, GraphProcessNamesDocument, type ProcessFilter } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { encodeId, insertGraphFixture, tokensFile } from "../helpers/crossModelFixture";

const SCOPED = "token-graph-search-biz2-0123456789";

const database = useTestDatabase();
const server = useTestServer(database, { TOKENS_FILE: tokensFile({ "biz2-example": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example"] } } }) });
const scoped = { authorization: `Bearer ${SCOPED}` };

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

// Owner "0" sees CMDB processes 45-48 of business 2; the PaaS fixture has four processes.
const CMDB = ["pr1", "alias_pr2", "java-app", "orphan"];
const PAAS = ["example-m-api--web", "example--web", "example--worker", "bkapp-legacy-app-prod--web"];

async function walk(filter: ProcessFilter | undefined, first: number, headers: Record<string, string> = {}): Promise<string[]> {
  const names: string[] = [];
  let after: string | null | undefined;
  for (let page = 0; page < 20; page += 1) {
    const result = await server.graphql(GraphProcessNamesDocument, { filter, first, after }, headers);
    expect(result.errors).toBeUndefined();
    const { nodes, pageInfo } = result.data!.processes;
    names.push(...nodes.map((n) => n.name));
    if (!pageInfo.hasNextPage) return names;
    after = pageInfo.endCursor;
  }
  throw new Error("no last page");
}

describe("the unified processes search", () => {
  it("lists both models through the Process interface: CMDB by id, then PaaS by key", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(GraphProcessesDocument, { first: 10 }));
    expect(result.errors).toBeUndefined();
    const { edges, totalCount, pageInfo } = result.data!.processes;
    expect(totalCount).toBe(8);
    expect(pageInfo.hasNextPage).toBe(false);
    expect(edges.map((e) => e.node)).toEqual([
      { __typename: "CmdbProcess", id: encodeId("CmdbProcess", 45), name: "pr1", source: "CMDB", hostIps: ["192.168.15.22"], cmdbBusinessId: 2, paasAppCode: null, environmentKey: null, health: { status: "UNKNOWN", desired: 1, available: null } },
      { __typename: "CmdbProcess", id: encodeId("CmdbProcess", 46), name: "alias_pr2", source: "CMDB", hostIps: ["192.168.15.22"], cmdbBusinessId: 2, paasAppCode: null, environmentKey: null, health: { status: "UNKNOWN", desired: 2, available: null } },
      { __typename: "CmdbProcess", id: encodeId("CmdbProcess", 47), name: "java-app", source: "CMDB", hostIps: ["10.0.0.5", "10.0.0.6"], cmdbBusinessId: 2, paasAppCode: null, environmentKey: null, health: { status: "UNKNOWN", desired: 2, available: null } },
      { __typename: "CmdbProcess", id: encodeId("CmdbProcess", 48), name: "orphan", source: "CMDB", hostIps: [], cmdbBusinessId: 2, paasAppCode: null, environmentKey: null, health: { status: "UNKNOWN", desired: null, available: null } },
      { __typename: "PaasProcess", id: encodeId("PaasProcess", "example/api/prod/web"), name: "example-m-api--web", source: "PAAS", hostIps: [], cmdbBusinessId: 2, paasAppCode: "example", environmentKey: "example/api/prod", health: { status: "HEALTHY", desired: 1, available: 2 } },
      { __typename: "PaasProcess", id: encodeId("PaasProcess", "example/default/prod/web"), name: "example--web", source: "PAAS", hostIps: ["10.0.0.11", "10.9.9.9"], cmdbBusinessId: 2, paasAppCode: "example", environmentKey: "example/default/prod", health: { status: "UNHEALTHY", desired: 2, available: 1 } },
      { __typename: "PaasProcess", id: encodeId("PaasProcess", "example/default/prod/worker"), name: "example--worker", source: "PAAS", hostIps: [], cmdbBusinessId: 2, paasAppCode: "example", environmentKey: "example/default/prod", health: { status: "STOPPED", desired: 0, available: 0 } },
      { __typename: "PaasProcess", id: encodeId("PaasProcess", "legacy-app/default/prod/web"), name: "bkapp-legacy-app-prod--web", source: "PAAS", hostIps: ["10.0.0.6"], cmdbBusinessId: 3, paasAppCode: "legacy-app", environmentKey: "legacy-app/default/prod", health: { status: "HEALTHY", desired: 1, available: 1 } },
    ]);
    // One query per model for the page, two counts, then per level: relations (CMDB hosts), the
    // hosts; the PaaS instances of every environment in one $in; the app links in one $in.
    // (countDocuments is an aggregate command.) 8 commands for 8 processes, as for 800.
    expect([...summary].sort()).toEqual([
      "aggregate:cc_Process",
      "aggregate:paas_processes",
      "find:cc_HostBase",
      "find:cc_Process",
      "find:cc_ProcessInstanceRelation",
      "find:paas_instances",
      "find:paas_processes",
      "find:procgraph_app_business_links",
    ]);
  });

  it.each([1, 3, 5, 8])("walks every page of %i without duplicates or misses, across the models", async (first) => {
    expect(await walk(undefined, first)).toEqual([...CMDB, ...PAAS]);
  });

  it.each<[string, ProcessFilter, string[]]>([
    ["a glob, case-insensitively", { namePattern: "*WEB*" }, ["example-m-api--web", "example--web", "bkapp-legacy-app-prod--web"]],
    ["? for one character", { namePattern: "pr?" }, ["pr1"]],
    ["regex characters as literals", { namePattern: "j.*" }, []],
    ["regex characters as literals (2)", { namePattern: "(.*)|.*" }, []],
    ["a host IP in both models", { hostIp: "10.0.0.6" }, ["java-app", "bkapp-legacy-app-prod--web"]],
    ["a host IP on one instance", { hostIp: "10.0.0.11" }, ["example--web"]],
    ["a host IP of nothing", { hostIp: "10.1.2.3" }, []],
    ["a business: its processes and its linked apps'", { cmdbBusinessId: 2 }, [...CMDB, "example-m-api--web", "example--web", "example--worker"]],
    ["another business (its CMDB processes belong to another owner)", { cmdbBusinessId: 3 }, ["bkapp-legacy-app-prod--web"]],
    ["an app", { paasAppCode: "example" }, ["example-m-api--web", "example--web", "example--worker"]],
    ["HEALTHY", { health: "HEALTHY" }, ["example-m-api--web", "bkapp-legacy-app-prod--web"]],
    ["UNHEALTHY", { health: "UNHEALTHY" }, ["example--web"]],
    ["STOPPED", { health: "STOPPED" }, ["example--worker"]],
    ["UNKNOWN", { health: "UNKNOWN" }, CMDB],
    ["source CMDB", { source: "CMDB" }, CMDB],
    ["source PAAS", { source: "PAAS" }, PAAS],
    ["several conditions", { namePattern: "*web", health: "HEALTHY", cmdbBusinessId: 2 }, ["example-m-api--web"]],
  ])("filters by %s", async (_label, filter, names) => {
    expect(await walk(filter, 2)).toEqual(names);
    const result = await server.graphql(GraphProcessesDocument, { filter, first: 200 });
    expect(result.data!.processes.totalCount).toBe(names.length);
  });

  it("sends the name pattern as an escaped, anchored regex", async () => {
    const { commands } = await database.recordCommands(() => server.graphql(GraphProcessNamesDocument, { filter: { namePattern: "a.b*" } }));
    const cmdb = commands.find((c) => c.collection === "cc_Process")!;
    expect(JSON.stringify(cmdb.command.filter)).toContain('"$regex":"^a\\\\.b.*$"');
  });

  it("applies the token's scope", async () => {
    expect(await walk(undefined, 3, scoped)).toEqual([...CMDB, "example-m-api--web", "example--web", "example--worker"]);
    expect(await walk({ cmdbBusinessId: 3 }, 3, scoped)).toEqual([]);
    expect(await walk({ paasAppCode: "legacy-app" }, 3, scoped)).toEqual([]);
    expect(await walk({ hostIp: "10.0.0.6" }, 3, scoped)).toEqual(["java-app"]);
    const result = await server.graphql(GraphProcessesDocument, { first: 1 }, scoped);
    expect(result.data!.processes.totalCount).toBe(7);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["first 0", { first: 0 }, "first: between 1 and 200"],
    ["first 201", { first: 201 }, "first: between 1 and 200"],
    ["a foreign cursor", { after: Buffer.from('["cmdb",45]').toString("base64url") }, "after: not a cursor of processes"],
    ["a garbage cursor", { after: "%%%" }, "after: not a cursor of processes"],
    ["a bad IP", { filter: { hostIp: "10.0.0.300" } }, "filter.hostIp: not an IP address"],
    ["an operator as IP", { filter: { hostIp: '{"$ne":null}' } }, "filter.hostIp: not an IP address"],
    ["a bad app code", { filter: { paasAppCode: "Bad_App" } }, "filter.paasAppCode: not a PaaS app code"],
    ["a long pattern", { filter: { namePattern: "x".repeat(101) } }, "filter.namePattern: at most 100 characters"],
  ])("refuses %s with BAD_USER_INPUT", async (_label, variables, message) => {
    const result = await server.graphql(GraphProcessNamesDocument, variables as never);
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0].message).toBe(message);
  });
});
