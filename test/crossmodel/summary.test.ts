import { GraphAppSummariesDocument, GraphBusinessSummariesDocument, GraphCrossModelDashboardDocument, GraphDashboardSummaryDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { encodeId, insertGraphFixture, tokensFile } from "../helpers/crossModelFixture";

const SCOPED = "token-graph-summary-biz2-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, { TOKENS_FILE: tokensFile({ "biz2-example": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example"] } } }) });
const scoped = { authorization: `Bearer ${SCOPED}` };
const SUPERADMIN = { "x-bkcmdb-supplier-account": "superadmin" };

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

/*
 * Hand-computed from test/helpers/crossModelFixture.ts:
 * PaaS processes (replicas/success): example/api/prod/web 1/2 HEALTHY, example/default/prod/web 2/1
 * UNHEALTHY, example/default/prod/worker 0/0 STOPPED, legacy-app/default/prod/web 1/1 HEALTHY.
 * Instances (display state): example/default/prod abcde Running, fghij Starting (not ready),
 * uvwxy Pending, klmno Running, pqrst (beat) Running; example/api/prod zzzzz Running;
 * legacy-app/default/prod q1w2e Running. CMDB, owner "0": business 2 has processes 45, 46 (service
 * instance 4: module 60 "mm1", set 11 "set1"), 47 (service instance 5: module 61 "mm2", set 12
 * "set2") and 48 (no service instance); owner "tencent" adds 91 (business 2, none) and 90
 * (business 3: module 71, set 21). Links: example → 2, legacy-app → 3.
 */
const h = (total: number, healthy: number, unhealthy: number, stopped: number, unknown: number) => ({ total, healthy, unhealthy, stopped, unknown });
const c = (key: string | null, count: number, label: string | null = null) => ({ key, label, count });
const EXAMPLE = h(3, 1, 1, 1, 0);
const LEGACY = h(1, 1, 0, 0, 0);

describe("dashboard summaries", () => {
  it("dashboardSummary: both models in three aggregations", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(GraphDashboardSummaryDocument));
    expect(result.errors).toBeUndefined();
    expect(result.data!.dashboardSummary).toEqual({
      health: h(8, 2, 1, 1, 4),
      cmdbProcessCount: 4,
      paasProcessCount: 4,
      paasInstanceCount: 7,
      instancesByState: [c("Pending", 1), c("Running", 5), c("Starting", 1)],
      instancesByEnvironment: [c("prod", 7)],
      byApp: [
        { key: "example", health: EXAMPLE },
        { key: "legacy-app", health: LEGACY },
      ],
      byBusiness: [
        { key: "2", health: h(7, 1, 1, 1, 4) },
        { key: "3", health: LEGACY },
      ],
    });
    expect([...summary].sort()).toEqual(["aggregate:cc_Process", "aggregate:paas_instances", "aggregate:paas_processes"]);
  });

  it("dashboardSummary follows the owner scope of CMDB", async () => {
    const result = await server.graphql(GraphDashboardSummaryDocument, undefined, SUPERADMIN);
    expect(result.data!.dashboardSummary.cmdbProcessCount).toBe(6);
    expect(result.data!.dashboardSummary.byBusiness).toEqual([
      { key: "2", health: h(8, 1, 1, 1, 5) },
      { key: "3", health: h(2, 1, 0, 0, 1) },
    ]);
  });

  it("CmdbBusiness.summary: by set and module, health with the linked apps; batched", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(GraphBusinessSummariesDocument, { ids: [2, 3] }, SUPERADMIN));
    expect(result.errors).toBeUndefined();
    expect(result.data!.cmdbBusinesses).toEqual([
      {
        bkBizId: 2,
        summary: {
          processCount: 5,
          processesBySet: [c(null, 2), c("11", 2, "set1"), c("12", 1, "set2")],
          processesByModule: [c(null, 2), c("60", 2, "mm1"), c("61", 1, "mm2")],
          health: h(8, 1, 1, 1, 5),
          paasApps: [{ key: "example", health: EXAMPLE }],
        },
      },
      {
        bkBizId: 3,
        summary: {
          processCount: 1,
          processesBySet: [c("21", 1, "tenant set")],
          processesByModule: [c("71", 1, "tenant module")],
          health: h(2, 1, 0, 0, 1),
          paasApps: [{ key: "legacy-app", health: LEGACY }],
        },
      },
    ]);
    // Businesses; one CMDB aggregation for both; their links in one $in; the linked apps' processes
    // and instances, one aggregation each for both apps.
    expect([...summary].sort()).toEqual([
      "aggregate:cc_Process",
      "aggregate:paas_instances",
      "aggregate:paas_processes",
      "find:cc_ApplicationBase",
      "find:procgraph_app_business_links",
    ]);
  });

  it("PaasApp.summary: health, instances by state and environment; batched", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(GraphAppSummariesDocument, { codes: ["example", "legacy-app", "no-default"] }));
    expect(result.errors).toBeUndefined();
    expect(result.data!.paasApps).toEqual([
      {
        code: "example",
        summary: {
          health: EXAMPLE,
          instanceCount: 6,
          instancesByState: [c("Pending", 1), c("Running", 4), c("Starting", 1)],
          processesByEnvironment: [c("example/api/prod", 1), c("example/default/prod", 2)],
          instancesByEnvironment: [c("example/api/prod", 1), c("example/default/prod", 5)],
        },
      },
      {
        code: "legacy-app",
        summary: {
          health: LEGACY,
          instanceCount: 1,
          instancesByState: [c("Running", 1)],
          processesByEnvironment: [c("legacy-app/default/prod", 1)],
          instancesByEnvironment: [c("legacy-app/default/prod", 1)],
        },
      },
      { code: "no-default", summary: { health: h(0, 0, 0, 0, 0), instanceCount: 0, instancesByState: [], processesByEnvironment: [], instancesByEnvironment: [] } },
    ]);
    expect([...summary].sort()).toEqual(["aggregate:paas_instances", "aggregate:paas_processes", "find:paas_applications"]);
  });

  it("applies the token's scope", async () => {
    const dashboard = await server.graphql(GraphDashboardSummaryDocument, undefined, scoped);
    expect(dashboard.data!.dashboardSummary).toMatchObject({
      health: h(7, 1, 1, 1, 4),
      cmdbProcessCount: 4,
      paasProcessCount: 3,
      paasInstanceCount: 6,
      byApp: [{ key: "example", health: EXAMPLE }],
      byBusiness: [{ key: "2", health: h(7, 1, 1, 1, 4) }],
    });
    const businesses = await server.graphql(GraphBusinessSummariesDocument, { ids: [3] }, { ...scoped, ...SUPERADMIN });
    // Business 3 is outside the token's scope: it does not exist for this caller, nor its summary.
    expect(businesses.errors).toBeUndefined();
    expect(businesses.data!.cmdbBusinesses).toEqual([null]);
    const apps = await server.graphql(GraphAppSummariesDocument, { codes: ["legacy-app", "example"] }, scoped);
    expect(apps.data!.paasApps.map((a) => a && [a.code, a.summary.health])).toEqual([null, ["example", EXAMPLE]]);
  });

  it("runs the cross-model dashboard query of docs/graph.md", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(GraphCrossModelDashboardDocument));
    expect(result.errors).toBeUndefined();
    const [business] = result.data!.cmdbBusinessList.nodes;
    expect(business.summary.processCount).toBe(4);
    expect(business.paasApps.map((a) => a.code)).toEqual(["example"]);
    expect(result.data!.unhealthy.nodes).toEqual([
      {
        id: encodeId("PaasProcess", "example/default/prod/web"),
        name: "example--web",
        source: "PAAS",
        hostIps: ["10.0.0.11", "10.9.9.9"],
        health: { status: "UNHEALTHY", desired: 2, available: 1 },
        environment: { app: { code: "example", cmdbBusiness: { bkBizName: "blueking" } } },
        instances: [{ hostIp: "10.0.0.11", cmdbHost: { bkHostName: "host-c" } }, { hostIp: "10.9.9.9", cmdbHost: null }, { hostIp: null, cmdbHost: null }, { hostIp: null, cmdbHost: null }],
      },
    ]);
    // 15 commands for the whole answer, each one batch of its level: the dashboard's three
    // aggregations; the business page; the businesses' summaries (one CMDB aggregation, their app
    // links, the linked apps' two aggregations) and paasApps (the apps); the search (PaaS only: CMDB
    // has no UNHEALTHY process) and its count; the processes' environments, instances, hosts and
    // app links (their businesses and apps are cached).
    expect(summary).toHaveLength(15);
  });
});
