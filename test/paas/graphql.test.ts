import { PaasAppPageDocument, PaasAppsByCodesDocument, PaasAppTreeDocument, PaasInstanceUpDocument, PaasProcessListDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { writePaasFixture } from "../helpers/paasFixture";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  await writePaasFixture(database.db);
});

const PROD = "example/default/prod";

describe("paasProcessList", () => {
  it("mirrors the REST list with GraphQL names and Int versions", async () => {
    const result = await server.graphql(PaasProcessListDocument, { appCode: "example", moduleName: "default", environment: "PROD" });
    expect(result.errors).toBeUndefined();
    const list = result.data!.paasProcessList;
    expect(list.app).toEqual({ code: "example", type: "CLOUD_NATIVE" });
    expect(list.module).toEqual({ key: "example/default", name: "default", isDefault: true });
    expect(list.environment).toEqual({ key: PROD, name: "PROD" });
    expect(list.processes).toEqual({
      items: [
        { key: `${PROD}/web`, name: "example--web", type: "web", command: "gunicorn wsgi -w 4", replicas: 2, success: 1, failed: 1, version: 3, clusterLink: "http://example--web.bkapp-example-prod" },
        { key: `${PROD}/worker`, name: "example--worker", type: "worker", command: "celery -A app worker", replicas: 0, success: 0, failed: 0, version: 3, clusterLink: "http://example--worker.bkapp-example-prod" },
      ],
      extraInfos: [
        { type: "web", command: "gunicorn wsgi -w 4", clusterLink: "http://example--web.bkapp-example-prod" },
        { type: "worker", command: "celery -A app worker", clusterLink: "http://example--worker.bkapp-example-prod" },
      ],
      metadata: { resourceVersion: "2" },
    });
    expect(list.instances.metadata).toEqual({ resourceVersion: "8" });
    expect(list.instances.items).toEqual([
      { key: `${PROD}/example--web-5d8f7c9b4-abcde`, name: "example--web-5d8f7c9b4-abcde", processType: "web", displayName: "abcde", image: "mirrors.example.com/bkapps/example:v3", startTime: "2024-08-16T02:07:55.000Z", state: "Running", stateMessage: null, richStatus: "Running", ready: true, restartCount: 0, terminatedInfo: { exitCode: null, reason: null }, version: 3, hostIp: "10.0.0.11" },
      { key: `${PROD}/example--web-5d8f7c9b4-fghij`, name: "example--web-5d8f7c9b4-fghij", processType: "web", displayName: "fghij", image: "mirrors.example.com/bkapps/example:v3", startTime: "2024-08-16T02:08:01.000Z", state: "Starting", stateMessage: "Readiness probe failed", richStatus: "Running", ready: false, restartCount: 2, terminatedInfo: { exitCode: 137, reason: "OOMKilled" }, version: 3, hostIp: null },
      { key: `${PROD}/example--web-5d8f7c9b4-uvwxy`, name: "example--web-5d8f7c9b4-uvwxy", processType: "web", displayName: "uvwxy", image: "mirrors.example.com/bkapps/example:v3", startTime: null, state: "Pending", stateMessage: "0/3 nodes are available", richStatus: "Pending", ready: false, restartCount: 0, terminatedInfo: null, version: 3, hostIp: null },
      { key: `${PROD}/example--web-7c6b5a4d3-klmno`, name: "example--web-7c6b5a4d3-klmno", processType: "web", displayName: "klmno", image: "mirrors.example.com/bkapps/example:v2", startTime: "2024-08-10T11:00:00.000Z", state: "Running", stateMessage: null, richStatus: "Running", ready: true, restartCount: 0, terminatedInfo: { exitCode: 0, reason: "Completed" }, version: 2, hostIp: null },
    ]);
    expect(list.processPackages).toEqual([
      { name: "web", targetReplicas: 2, targetStatus: "START", maxReplicas: 10, resourceLimit: { cpu: "4000m", memory: "1024Mi" }, resourceRequests: { cpu: "200m", memory: "256Mi" }, planName: "default", resourceLimitQuota: { cpu: 4000, memory: 1024 }, autoscaling: true, scalingConfig: { minReplicas: 1, maxReplicas: 4, policy: "default" } },
      { name: "worker", targetReplicas: 0, targetStatus: "STOP", maxReplicas: 10, resourceLimit: { cpu: "4", memory: "1Gi" }, resourceRequests: { cpu: "200m", memory: "256Mi" }, planName: "4C1G", resourceLimitQuota: { cpu: 4000, memory: 1024 }, autoscaling: false, scalingConfig: null },
    ]);
  });

  it("costs the same commands as the REST list, whatever it selects of the items' relations", async () => {
    const { summary } = await database.recordCommands(() => server.graphql(PaasProcessListDocument, { appCode: "example", moduleName: "default", environment: "PROD" }));
    expect(summary.sort()).toEqual(["find:paas_applications", "find:paas_instances", "find:paas_module_envs", "find:paas_modules", "find:paas_process_specs", "find:paas_processes", "find:paas_resource_versions"]);
  });

  it("onlyLatestVersion keeps the instances of their process's version; the rest is unchanged", async () => {
    const all = await server.graphql(PaasProcessListDocument, { appCode: "example", environment: "PROD", onlyLatestVersion: false });
    const latest = await server.graphql(PaasProcessListDocument, { appCode: "example", environment: "PROD", onlyLatestVersion: true });
    expect(latest.data!.paasProcessList.instances.items.map((i) => i.displayName)).toEqual(["abcde", "fghij", "uvwxy"]);
    expect(all.data!.paasProcessList.instances.items.map((i) => i.displayName)).toEqual(["abcde", "fghij", "uvwxy", "klmno"]);
    const { instances: _a, ...restLatest } = latest.data!.paasProcessList;
    const { instances: _b, ...restAll } = all.data!.paasProcessList;
    expect(restLatest).toEqual(restAll);
    expect(latest.data!.paasProcessList.instances.metadata).toEqual({ resourceVersion: "8" });
  });

  it("uses the default module when moduleName is omitted, and the stored target status for a default-type app", async () => {
    const result = await server.graphql(PaasProcessListDocument, { appCode: "legacy-app", environment: "PROD" });
    expect(result.data!.paasProcessList.module.name).toBe("default");
    expect(result.data!.paasProcessList.processPackages.map((p) => [p.name, p.targetStatus, p.resourceLimitQuota])).toEqual([
      ["clock", "START", { cpu: 1000, memory: 256 }],
      ["web", "STOP", { cpu: 500, memory: 512 }],
    ]);
  });

  it.each([
    ["an unknown app", { appCode: "nope-app", moduleName: "default" }, 'application "nope-app" not found'],
    ["an unknown module", { appCode: "example", moduleName: "nope" }, 'module "nope" of application "example" not found'],
    ["a missing default module", { appCode: "no-default", moduleName: null }, 'default module of application "no-default" not found'],
    ["a module without the environment", { appCode: "example", moduleName: "api", environment: "STAG" as const }, 'environment "stag" of module "api" of application "example" not found'],
  ])("%s raises NOT_FOUND", async (_label, variables, message) => {
    const result = await server.graphql(PaasProcessListDocument, { environment: "PROD", ...variables });
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ message, path: ["paasProcessList"], extensions: { code: "NOT_FOUND" } })]);
  });

  it.each([
    ["app code", { appCode: "Bad_Code", moduleName: "default" }, 'application "Bad_Code" not found'],
    ["module name", { appCode: "example", moduleName: "-api" }, 'module "-api" of application "example" not found'],
  ])("a bad %s raises NOT_FOUND without any MongoDB command", async (_label, variables, message) => {
    const { result, commands } = await database.recordCommands(() => server.graphql(PaasProcessListDocument, { environment: "PROD", ...variables }));
    expect(result.errors).toEqual([expect.objectContaining({ message, extensions: { code: "NOT_FOUND" } })]);
    expect(commands).toEqual([]);
  });

  it("rejects a bad environment or onlyLatestVersion by type, before any resolver (BAD_USER_INPUT)", async () => {
    for (const variables of [{ appCode: "example", environment: "QA" }, { appCode: "example", environment: "PROD", onlyLatestVersion: "maybe" }]) {
      const { result, commands } = await database.recordCommands(() => server.graphql(PaasProcessListDocument, variables as never));
      expect(result.status).toBe(400);
      expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: "BAD_USER_INPUT" } })]);
      expect(commands).toEqual([]);
    }
  });
});

describe("navigation", () => {
  it("walks down from an app to its modules, environments, processes, instances and packages", async () => {
    const result = await server.graphql(PaasAppTreeDocument, { code: "example" });
    expect(result.errors).toBeUndefined();
    const app = result.data!.paasApp!;
    expect({ code: app.code, name: app.name, type: app.type, language: app.language }).toEqual({ code: "example", name: "Example", type: "CLOUD_NATIVE", language: "Python" });
    expect(app.defaultModule).toEqual({ name: "default" });
    expect(app.module).toEqual({ key: "example/api", isDefault: false });
    expect(app.modules.map((m) => [m.name, m.isDefault, m.environments.map((e) => e.name), m.prod?.name ?? null])).toEqual([
      ["api", false, ["PROD"], "PROD"],
      ["default", true, ["PROD", "STAG"], "PROD"],
    ]);
    const [prod, stag] = app.modules[1].environments;
    expect([prod.processResourceVersion, prod.instanceResourceVersion, stag.processResourceVersion, stag.instanceResourceVersion]).toEqual(["2", "8", "0", "0"]);
    expect(stag.processes).toEqual([]);
    expect(prod.processes.map((p) => ({ ...p, instances: p.instances.map((i) => `${i.name}:${i.state}:${i.version}`), latest: p.latest.map((i) => i.name) }))).toEqual([
      {
        type: "web",
        replicas: 2,
        failed: 1,
        clusterLink: "http://example--web.bkapp-example-prod",
        package: { name: "web", targetStatus: "START" },
        instances: ["example--web-5d8f7c9b4-abcde:Running:3", "example--web-5d8f7c9b4-fghij:Starting:3", "example--web-5d8f7c9b4-uvwxy:Pending:3", "example--web-7c6b5a4d3-klmno:Running:2"],
        latest: ["example--web-5d8f7c9b4-abcde", "example--web-5d8f7c9b4-fghij", "example--web-5d8f7c9b4-uvwxy"],
      },
      { type: "worker", replicas: 0, failed: 0, clusterLink: "http://example--worker.bkapp-example-prod", package: { name: "worker", targetStatus: "STOP" }, instances: [], latest: [] },
    ]);
    // The environment's instances: attached to a process (the "beat" orphan is not), latest only.
    expect(prod.instances.map((i) => i.name)).toEqual(["example--web-5d8f7c9b4-abcde", "example--web-5d8f7c9b4-fghij", "example--web-5d8f7c9b4-uvwxy"]);
    expect(prod.processPackages).toEqual([
      { name: "web", targetStatus: "START", resourceLimitQuota: { cpu: 4000, memory: 1024 }, process: { type: "web" } },
      { name: "worker", targetStatus: "STOP", resourceLimitQuota: { cpu: 4000, memory: 1024 }, process: { type: "worker" } },
    ]);
    expect(app.modules[0].environments[0].processes[0].clusterLink).toBe("http://example-m-api--web.bkapp-example-prod");
  });

  it("walks up from an instance to its process, environment, module and app", async () => {
    const result = await server.graphql(PaasInstanceUpDocument, { appCode: "example", moduleName: "api", environment: "PROD" });
    expect(result.errors).toBeUndefined();
    expect(result.data!.paasProcessList.instances.items).toEqual([
      {
        name: "example-m-api--web-6f7e8d9c0-zzzzz",
        process: { type: "web", version: 7, environment: { name: "PROD", module: { name: "api", isDefault: false, app: { code: "example", type: "CLOUD_NATIVE" } }, app: { code: "example" } } },
        environment: { key: "example/api/prod" },
      },
    ]);
  });

  it("returns null for unknown keys in navigation lookups", async () => {
    const missing = await server.graphql(PaasAppTreeDocument, { code: "nope-app" });
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ paasApp: null });
    const legacy = await server.graphql(PaasAppTreeDocument, { code: "legacy-app" });
    expect(legacy.data!.paasApp!.module).toBeNull();
    const noDefault = await server.graphql(PaasAppTreeDocument, { code: "no-default" });
    expect(noDefault.data!.paasApp!.defaultModule).toBeNull();
    expect(noDefault.data!.paasApp!.modules[0].prod).toBeNull();
  });
});

describe("paasApps (by codes)", () => {
  it("answers in key order with null for misses and invalid codes, in one query", async () => {
    const { result, summary } = await database.recordCommands(() =>
      server.graphql(PaasAppsByCodesDocument, { codes: ["no-default", "nope-app", "example", "NOT valid", "legacy-app", "example"] }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.paasApps).toEqual([{ code: "no-default", name: "No default" }, null, { code: "example", name: "Example" }, null, { code: "legacy-app", name: "Legacy" }, { code: "example", name: "Example" }]);
    expect(summary).toEqual(["find:paas_applications"]);
  });

  it("refuses more than 500 codes", async () => {
    const result = await server.graphql(PaasAppsByCodesDocument, { codes: Array.from({ length: 501 }, (_, i) => `app-${i}`) });
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) })]);
  });
});

describe("paasAppList (cursor pagination)", () => {
  it("pages in code order with opaque cursors until the end", async () => {
    const first = await server.graphql(PaasAppPageDocument, { first: 2 });
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.paasAppList;
    expect(page1.totalCount).toBe(3);
    expect(page1.nodes).toEqual([{ code: "example", type: "CLOUD_NATIVE" }, { code: "legacy-app", type: "DEFAULT" }]);
    expect(page1.edges.map((e) => e.node.code)).toEqual(["example", "legacy-app"]);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[1].cursor });
    expect(page1.edges[1].cursor).not.toContain("legacy-app");

    const second = await server.graphql(PaasAppPageDocument, { first: 2, after: page1.pageInfo.endCursor });
    const page2 = second.data!.paasAppList;
    expect(page2.nodes).toEqual([{ code: "no-default", type: "CLOUD_NATIVE" }]);
    expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: page2.edges[0].cursor });

    const past = await server.graphql(PaasAppPageDocument, { first: 2, after: page2.pageInfo.endCursor });
    expect(past.data!.paasAppList).toEqual({ totalCount: 3, edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("filters by type, language and code prefix; totalCount counts the filter", async () => {
    const cloud = await server.graphql(PaasAppPageDocument, { filter: { type: "CLOUD_NATIVE" } });
    expect(cloud.data!.paasAppList.nodes.map((n) => n.code)).toEqual(["example", "no-default"]);
    expect(cloud.data!.paasAppList.totalCount).toBe(2);
    const php = await server.graphql(PaasAppPageDocument, { filter: { language: "PHP" } });
    expect(php.data!.paasAppList.nodes.map((n) => n.code)).toEqual(["legacy-app"]);
    const prefix = await server.graphql(PaasAppPageDocument, { filter: { codePrefix: "n", type: "CLOUD_NATIVE" } });
    expect(prefix.data!.paasAppList.nodes.map((n) => n.code)).toEqual(["no-default"]);
    expect(prefix.data!.paasAppList.totalCount).toBe(1);
  });

  it.each([
    ["first: 0", { first: 0 }, "first: between 1 and 100"],
    ["first: 101", { first: 101 }, "first: between 1 and 100"],
    ["a forged cursor", { after: "bm90LWEtY3Vyc29y" }, "after: not a cursor of paasAppList"],
    ["a cursor of a CMDB list", { after: Buffer.from(JSON.stringify(["business", 2])).toString("base64url") }, "after: not a cursor of paasAppList"],
  ])("refuses %s with BAD_USER_INPUT", async (_label, variables, message) => {
    const result = await server.graphql(PaasAppPageDocument, variables);
    expect(result.errors).toEqual([expect.objectContaining({ message, extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) })]);
  });
});
