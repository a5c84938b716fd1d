import { APP_BUSINESS_LINKS } from "../../src/crossmodel/collections";
import { LinkUsageError, runLinkCommand } from "../../src/crossmodel/linkCommand";
import { GraphBusinessAppsDocument, GraphHostInstancesDocument, GraphInstanceHostsDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertGraphFixture, tokensFile } from "../helpers/crossModelFixture";

const SCOPED = "token-graph-links-biz2-0123456789";
const EXAMPLE_ONLY = "token-graph-links-example-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, {
  TOKENS_FILE: tokensFile({
    biz2: { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example", "legacy-app"] } },
    example: { token: EXAMPLE_ONLY, scope: { cmdbBusinesses: [2], paasApps: ["example"] } },
  }),
});
const SUPERADMIN = { "x-bkcmdb-supplier-account": "superadmin" };
const scoped = { authorization: `Bearer ${SCOPED}`, ...SUPERADMIN };

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

const PROD = "example/default/prod";
const instancesOf = (data: { paasApp?: { modules: Array<{ environments: Array<{ instances: Array<{ key: string; cmdbHost?: { bkHostId: number } | null }> }> }> } | null }) =>
  Object.fromEntries(data.paasApp!.modules.flatMap((m) => m.environments.flatMap((e) => e.instances.map((i) => [i.key, i.cmdbHost?.bkHostId ?? null]))));

describe("PaasInstance.cmdbHost and CmdbHost.paasInstances", () => {
  it("links an instance to the host with its IP among the inner IPs, and back, batched", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(GraphInstanceHostsDocument, { code: "example" }, SUPERADMIN));
    expect(result.errors).toBeUndefined();
    expect(instancesOf(result.data!)).toEqual({
      [`${PROD}/example--web-5d8f7c9b4-abcde`]: 6,
      [`${PROD}/example--web-5d8f7c9b4-fghij`]: 9,
      [`${PROD}/example--web-5d8f7c9b4-uvwxy`]: null,
      [`${PROD}/example--web-7c6b5a4d3-klmno`]: null,
      "example/api/prod/example-m-api--web-6f7e8d9c0-zzzzz": null,
    });
    const abcde = result.data!.paasApp!.modules.flatMap((m) => m.environments.flatMap((e) => e.instances)).find((i) => i.key.endsWith("abcde"))!;
    expect(abcde.cmdbHost).toEqual({ bkHostId: 6, bkHostInnerip: ["10.0.0.11"], paasInstances: [{ key: abcde.key }] });
    expect(result.data!.paasApp!.cmdbBusiness).toEqual({ bkBizId: 2, bkBizName: "blueking" });
    // 9 commands whatever the number of instances: the app; its link, then its business; modules,
    // environments, processes and instances (env.instances lists attached instances); every
    // instance's host in one $in over their IPs; every host's instances in one $in over all their
    // inner IPs.
    expect([...summary].sort()).toEqual([
      "find:cc_ApplicationBase",
      "find:cc_HostBase",
      "find:paas_applications",
      "find:paas_instances",
      "find:paas_instances",
      "find:paas_module_envs",
      "find:paas_modules",
      "find:paas_processes",
      "find:procgraph_app_business_links",
    ]);
  });

  it("CmdbHost.paasInstances: one query for all hosts' IPs", async () => {
    const { result, summary, commands } = await database.recordCommands(() => server.graphql(GraphHostInstancesDocument, { ids: [4, 5, 6, 9] }, SUPERADMIN));
    expect(result.errors).toBeUndefined();
    expect(result.data!.cmdbHosts.map((h) => [h!.bkHostId, h!.paasInstances.map((i) => [i.key, i.hostIp, i.environment.app.code])])).toEqual([
      [4, []],
      [5, [["legacy-app/default/prod/bkapp-legacy-app-prod--web-84c7d6b5f-q1w2e", "10.0.0.6", "legacy-app"]]],
      [6, [[`${PROD}/example--web-5d8f7c9b4-abcde`, "10.0.0.11", "example"]]],
      [9, [[`${PROD}/example--web-5d8f7c9b4-fghij`, "10.9.9.9", "example"]]],
    ]);
    // Hosts, instances (one $in over the 6 inner IPs), environments, apps: 4 commands for 4 hosts.
    // Hosts, their instances (one $in over all 5 inner IPs), environments, apps: 4 commands for 4 hosts.
    expect(summary).toEqual(["find:cc_HostBase", "find:paas_instances", "find:paas_module_envs", "find:paas_applications"]);
    const instances = commands.find((c) => c.collection === "paas_instances")!;
    expect((instances.command.filter as { host_ip: { $in: string[] } }).host_ip.$in.sort()).toEqual(["10.0.0.11", "10.0.0.5", "10.0.0.6", "10.9.9.9", "192.168.15.22"]);
  });

  it("applies the owner scope to the host side: owner 0 does not see tenant host 9", async () => {
    const result = await server.graphql(GraphInstanceHostsDocument, { code: "example" });
    expect(instancesOf(result.data!)[`${PROD}/example--web-5d8f7c9b4-fghij`]).toBeNull();
  });

  it("applies the token's scope on both sides", async () => {
    // Host 9 runs only business 3's service instance: outside a business-2 token.
    const forward = await server.graphql(GraphInstanceHostsDocument, { code: "example" }, scoped);
    expect(forward.errors).toBeUndefined();
    expect(instancesOf(forward.data!)).toMatchObject({ [`${PROD}/example--web-5d8f7c9b4-abcde`]: 6, [`${PROD}/example--web-5d8f7c9b4-fghij`]: null });
    // legacy-app is linked to business 3: outside the token, so no business.
    const legacy = await server.graphql(GraphInstanceHostsDocument, { code: "legacy-app" }, scoped);
    expect(legacy.data!.paasApp!.cmdbBusiness).toBeNull();
    expect(instancesOf(legacy.data!)).toEqual({ "legacy-app/default/prod/bkapp-legacy-app-prod--web-84c7d6b5f-q1w2e": 5 });
    // A token without legacy-app does not see its instance on host 5.
    const hosts = await server.graphql(GraphHostInstancesDocument, { ids: [5, 6] }, { authorization: `Bearer ${EXAMPLE_ONLY}` });
    expect(hosts.data!.cmdbHosts.map((h) => [h!.bkHostId, h!.paasInstances.map((i) => i.key)])).toEqual([
      [5, []],
      [6, [`${PROD}/example--web-5d8f7c9b4-abcde`]],
    ]);
  });
});

describe("PaasApp.cmdbBusiness and CmdbBusiness.paasApps", () => {
  it("follows the operator's links both ways, batched", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(GraphBusinessAppsDocument, { ids: [2, 3, 4] }, SUPERADMIN));
    expect(result.errors).toBeUndefined();
    expect(result.data!.cmdbBusinesses).toEqual([
      { bkBizId: 2, paasApps: [{ code: "example", name: "Example", cmdbBusiness: { bkBizId: 2 } }] },
      { bkBizId: 3, paasApps: [{ code: "legacy-app", name: "Legacy", cmdbBusiness: { bkBizId: 3 } }] },
      null,
    ]);
    // Businesses; links of all businesses in one $in; the apps; the apps' links back (the
    // businesses are cached): 4 commands.
    expect(summary).toEqual(["find:cc_ApplicationBase", "find:procgraph_app_business_links", "find:paas_applications", "find:procgraph_app_business_links"]);
  });

  it("limits the apps to the token's and the business to the token's", async () => {
    const result = await server.graphql(GraphBusinessAppsDocument, { ids: [2, 3] }, scoped);
    expect(result.errors).toBeUndefined();
    expect(result.data!.cmdbBusinesses).toEqual([
      { bkBizId: 2, paasApps: [{ code: "example", name: "Example", cmdbBusiness: { bkBizId: 2 } }] },
      // Business 3 is outside the token's CMDB scope: it does not exist for this caller.
      null,
    ]);
  });
});

describe("npm run link", () => {
  it("sets, lists and removes links", async () => {
    expect(await runLinkCommand(database.db, ["set", "no-default", "4"])).toBe("linked app no-default to business 4");
    expect(await runLinkCommand(database.db, ["set", "no-default", "2"])).toBe("linked app no-default to business 2");
    expect(await runLinkCommand(database.db, ["list"])).toBe("example\t2\nlegacy-app\t3\nno-default\t2");
    expect(await runLinkCommand(database.db, ["remove", "no-default"])).toBe("removed the link of app no-default");
    expect(await database.db.collection(APP_BUSINESS_LINKS).countDocuments()).toBe(2);
  });

  it.each([
    [[], "a command is required"],
    [["frob"], "unknown command frob"],
    [["set", "example"], "set takes APP_CODE BK_BIZ_ID"],
    [["set", "Bad_App", "2"], "not a PaaS app code: Bad_App"],
    [["set", "example", "0"], "not a business id: 0"],
    [["set", "example", "{\"$gt\":1}"], 'not a business id: {"$gt":1}'],
    [["remove", "missing-app"], "app missing-app has no link"],
    [["list", "x"], "list takes no arguments"],
  ])("refuses %j: %s", async (argv, message) => {
    await expect(runLinkCommand(database.db, argv)).rejects.toThrow(new LinkUsageError(message));
  });
});
