import { GraphAllIdsDocument, GraphNodeDocument, GraphNodesDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { encodeId, insertGraphFixture, tokensFile } from "../helpers/crossModelFixture";

const SCOPED = "token-graph-biz2-example-0123456789";

const database = useTestDatabase();
const server = useTestServer(database, { TOKENS_FILE: tokensFile({ "biz2-example": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example"] } } }) });
const scoped = { authorization: `Bearer ${SCOPED}` };

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

const CMDB = { CmdbBusiness: 2, CmdbSet: 11, CmdbModule: 60, CmdbServiceInstance: 4, CmdbHost: 4, CmdbProcess: 45, CmdbProcessTemplate: 48 };
const PAAS = {
  PaasApp: "example",
  PaasModule: "example/default",
  PaasEnvironment: "example/default/prod",
  PaasProcess: "example/default/prod/web",
  PaasInstance: "example/default/prod/example--web-5d8f7c9b4-abcde",
  PaasProcessPackage: "example/default/prod/web",
};
const KEY_FIELD: Record<string, string> = {
  CmdbBusiness: "bkBizId",
  CmdbSet: "bkSetId",
  CmdbModule: "bkModuleId",
  CmdbServiceInstance: "serviceInstanceId",
  CmdbHost: "bkHostId",
  CmdbProcess: "bkProcessId",
  CmdbProcessTemplate: "processTemplateId",
  PaasApp: "code",
};

describe("global object identification", () => {
  it("gives every type an id that round-trips through node()", async () => {
    for (const [typename, key] of [...Object.entries(CMDB), ...Object.entries(PAAS)]) {
      const id = encodeId(typename, key);
      const result = await server.graphql(GraphNodeDocument, { id });
      expect(result.errors).toBeUndefined();
      const node = result.data?.node as Record<string, unknown>;
      expect(node).toMatchObject({ __typename: typename, id, [KEY_FIELD[typename] ?? "key"]: key });
    }
  });

  it("hands out the same ids from the domains' own fields", async () => {
    const result = await server.graphql(GraphAllIdsDocument);
    expect(result.errors).toBeUndefined();
    const business = result.data!.cmdbBusiness!;
    expect(business.id).toBe(encodeId("CmdbBusiness", 2));
    const instance = business.sets[0].modules[0].serviceInstances[0];
    expect(instance.id).toBe(encodeId("CmdbServiceInstance", 4));
    expect(instance.host?.id).toBe(encodeId("CmdbHost", 4));
    expect(instance.processes.map((p) => [p.id, p.processTemplate?.id])).toEqual([
      [encodeId("CmdbProcess", 45), encodeId("CmdbProcessTemplate", 48)],
      [encodeId("CmdbProcess", 46), encodeId("CmdbProcessTemplate", 49)],
    ]);
    const app = result.data!.paasApp!;
    expect(app.id).toBe(encodeId("PaasApp", "example"));
    const prod = app.modules.find((m) => m.id === encodeId("PaasModule", "example/default"))!.environments.find((e) => e.id === encodeId("PaasEnvironment", "example/default/prod"))!;
    expect(prod.processes.map((p) => p.id)).toEqual([encodeId("PaasProcess", "example/default/prod/web"), encodeId("PaasProcess", "example/default/prod/worker")]);
    expect(prod.instances.map((i) => i.id)).toContain(encodeId("PaasInstance", PAAS.PaasInstance));
    expect(prod.processPackages.map((p) => p.id)).toContain(encodeId("PaasProcessPackage", "example/default/prod/web"));
  });

  it("answers null for an id of nothing", async () => {
    for (const id of [encodeId("CmdbProcess", 4242), encodeId("PaasApp", "missing-app"), encodeId("PaasInstance", "example/default/prod/nope")]) {
      const result = await server.graphql(GraphNodeDocument, { id });
      expect(result.errors).toBeUndefined();
      expect(result.data?.node).toBeNull();
    }
  });

  it.each([
    ["not base64", "%%%"],
    ["empty", ""],
    ["no colon", Buffer.from("CmdbProcess45").toString("base64url")],
    ["unknown type", encodeId("CmdbPageInfo", 1)],
    ["foreign id (Relay example)", encodeId("User", 1)],
    ["CMDB key not a number", encodeId("CmdbProcess", "4a")],
    ["CMDB key too large", encodeId("CmdbProcess", "9007199254740993")],
    ["CMDB key with sign", encodeId("CmdbProcess", "-1")],
    ["PaaS key of the wrong depth", encodeId("PaasProcess", "example/default")],
    ["PaaS key with a bad app code", encodeId("PaasApp", "$where")],
    ["PaaS key with a bad environment", encodeId("PaasEnvironment", "example/default/dev")],
    ["non-canonical base64", `${encodeId("CmdbProcess", 45)}=`],
    ["too long", "A".repeat(600)],
  ])("refuses %s with BAD_USER_INPUT", async (_label, id) => {
    const result = await server.graphql(GraphNodeDocument, { id });
    expect(result.data?.node ?? null).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0].extensions?.argumentName).toBe("id");
    expect(result.errors?.[0].message).toBe("id: not a procgraph node id");
  });

  it("nodes(): key order, null for misses, one query per type", async () => {
    const ids = [
      encodeId("PaasInstance", PAAS.PaasInstance),
      encodeId("CmdbProcess", 47),
      encodeId("CmdbProcess", 999),
      encodeId("PaasApp", "legacy-app"),
      encodeId("CmdbProcess", 45),
      encodeId("CmdbHost", 5),
      encodeId("CmdbProcess", 47),
    ];
    const { result, summary, commands } = await database.recordCommands(() => server.graphql(GraphNodesDocument, { ids }));
    expect(result.errors).toBeUndefined();
    expect(result.data?.nodes.map((n) => (n ? [n.__typename, n.id] : null))).toEqual([
      ["PaasInstance", ids[0]],
      ["CmdbProcess", ids[1]],
      null,
      ["PaasApp", ids[3]],
      ["CmdbProcess", ids[4]],
      ["CmdbHost", ids[5]],
      ["CmdbProcess", ids[6]],
    ]);
    // Four types, four queries, all in one round (7 ids).
    expect([...summary].sort()).toEqual(["find:cc_HostBase", "find:cc_Process", "find:paas_applications", "find:paas_instances"]);
    const processes = commands.find((c) => c.collection === "cc_Process")!;
    expect(JSON.stringify(processes.command.filter)).toContain('"bk_process_id":{"$in":[47,999,45]}');
    // The projection follows the fragments on this type only: the process's keys and the selected
    // name, nothing of the other types' fragments.
    expect(processes.command.projection).toEqual({ _id: 0, bk_biz_id: 1, bk_process_id: 1, bk_process_name: 1 });
    const apps = commands.find((c) => c.collection === "paas_applications")!;
    expect(apps.command.projection).toEqual({ _id: 1, code: 1 });
  });

  it("nodes(): one bad id fails the call with BAD_USER_INPUT on `ids`", async () => {
    const result = await server.graphql(GraphNodesDocument, { ids: [encodeId("CmdbProcess", 45), "garbage!"] });
    expect(result.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: "ids" });
  });

  it("nodes(): at most 500 ids", async () => {
    const result = await server.graphql(GraphNodesDocument, { ids: Array.from({ length: 501 }, (_, i) => encodeId("CmdbProcess", i)) });
    expect(result.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: "ids" });
    expect(result.errors?.[0].message).toBe("ids: at most 500 ids per call");
  });
});

describe("scope on node and nodes", () => {
  it("reads what is outside the token's scope as missing", async () => {
    const inside = [encodeId("CmdbProcess", 45), encodeId("CmdbHost", 4), encodeId("PaasApp", "example"), encodeId("CmdbBusiness", 2)];
    // Business 3's process, set and host (host 9 runs only business 3's service instance), legacy-app's app and instance.
    const outside = [
      encodeId("CmdbProcess", 90),
      encodeId("CmdbSet", 21),
      encodeId("CmdbHost", 9),
      encodeId("CmdbBusiness", 3),
      encodeId("PaasApp", "legacy-app"),
      encodeId("PaasInstance", "legacy-app/default/prod/bkapp-legacy-app-prod--web-84c7d6b5f-q1w2e"),
    ];
    // Business 3 belongs to owner "tencent": ask as superadmin so only the token's scope hides it.
    const headers = { ...scoped, "x-bkcmdb-supplier-account": "superadmin" };
    const all = await server.graphql(GraphNodesDocument, { ids: [...inside, ...outside] }, { "x-bkcmdb-supplier-account": "superadmin" });
    expect(all.data?.nodes.every((n) => n !== null)).toBe(true);
    const result = await server.graphql(GraphNodesDocument, { ids: [...inside, ...outside] }, headers);
    expect(result.errors).toBeUndefined();
    expect(result.data?.nodes.map((n) => n?.id ?? null)).toEqual([...inside, ...outside.map(() => null)]);
    for (const id of outside) {
      const one = await server.graphql(GraphNodeDocument, { id }, headers);
      expect(one.data?.node).toBeNull();
    }
  });
});
