import { composeServices } from "@apollo/composition";
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { graphql, parse, type GraphQLSchema } from "graphql";
import { insertFixture } from "../helpers/cmdbFixture";
import { useTestDatabase } from "../helpers/db";
import { useTestServer, type TestServer } from "../helpers/server";
import { writePaasFixture } from "../helpers/paasFixture";
import { EXPECTED, federatedRackSchema, gatewayOperation } from "../helpers/rackSchema";

const database = useTestDatabase();
const server = useTestServer(database);
const scoped = useTestServer(database, { ANONYMOUS_SCOPE: '{"cmdbBusinesses":"*","paasApps":["legacy-app"]}', LIMIT_MAX_COST: "200" });
const closed = useTestServer(database, { ANONYMOUS_SCOPE: "none" });
const business3 = useTestServer(database, { ANONYMOUS_SCOPE: '{"cmdbBusinesses":[3],"paasApps":[]}' });
const production = useTestServer(database, { NODE_ENV: "production" });

beforeAll(async () => {
  await insertFixture(database.db);
  await writePaasFixture(database.db);
});

interface Body {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

async function federation(target: TestServer, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await target.request("/graphql/federation", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

const entities = (representations: unknown[], target = server, headers: Record<string, string> = {}) =>
  federation(target, gatewayOperation("entities"), { representations }, headers);

describe("the subgraph SDL (_service)", () => {
  it("links Federation v2 and keys the entities by their domain keys, without stitching's directives", async () => {
    const { body } = await federation(server, gatewayOperation("service"));
    const sdl = (body.data?._service as { sdl: string }).sdl;
    expect(sdl).toMatch(/extend schema\s+@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.3", import: \["@key"\]\)/);
    for (const [type, key] of [
      ["CmdbBusiness", "bkBizId"],
      ["CmdbSet", "bkSetId"],
      ["CmdbModule", "bkModuleId"],
      ["CmdbHost", "bkHostId"],
      ["CmdbServiceInstance", "serviceInstanceId"],
      ["CmdbProcess", "bkProcessId"],
      ["CmdbProcessTemplate", "processTemplateId"],
      ["PaasApp", "code"],
    ]) {
      expect(sdl).toMatch(new RegExp(`type ${type}\\b[^{]*@key\\(fields: "${key}"\\)`));
    }
    expect(sdl).not.toMatch(/selectionSet|@merge/);
  });

  it("answers in production, where introspection is off", async () => {
    const introspection = await federation(production, "{ __schema { queryType { name } } }");
    expect(introspection.status).toBe(400);
    const { body } = await federation(production, gatewayOperation("service"));
    expect((body.data?._service as { sdl: string }).sdl).toMatch(/type CmdbHost\s+implements Node\s+@key\(fields: "bkHostId"\)/);
  });

  it("is not part of /graphql, whose schema keeps only the stitching vocabulary", async () => {
    const response = await server.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: gatewayOperation("service") }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Body).errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

describe("_entities", () => {
  it("answers many representations in their order, null for misses and other owners, with one MongoDB query per type", async () => {
    const representations = [
      { __typename: "CmdbHost", bkHostId: 5 },
      { __typename: "PaasApp", code: "legacy-app" },
      { __typename: "CmdbProcess", bkProcessId: 47 },
      { __typename: "CmdbHost", bkHostId: 4 },
      { __typename: "CmdbBusiness", bkBizId: 2 },
      { __typename: "CmdbHost", bkHostId: 404 },
      { __typename: "PaasApp", code: "example" },
      { __typename: "CmdbProcess", bkProcessId: 45 },
      { __typename: "CmdbHost", bkHostId: 9 }, // owner "tencent": hidden from owner "0"
      { __typename: "CmdbHost", bkHostId: 4 },
      { __typename: "PaasApp", code: "missing-app" },
    ];
    const { result, commands, summary } = await database.recordCommands(() => entities(representations));
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?._entities).toEqual([
      { __typename: "CmdbHost", bkHostId: 5, bkHostName: "host-b" },
      { __typename: "PaasApp", code: "legacy-app", name: "Legacy" },
      { __typename: "CmdbProcess", bkProcessId: 47, bkProcessName: "java-app" },
      { __typename: "CmdbHost", bkHostId: 4, bkHostName: "host-a" },
      { __typename: "CmdbBusiness", bkBizId: 2, bkBizName: "blueking" },
      null,
      { __typename: "PaasApp", code: "example", name: "Example" },
      { __typename: "CmdbProcess", bkProcessId: 45, bkProcessName: "pr1" },
      null,
      { __typename: "CmdbHost", bkHostId: 4, bkHostName: "host-a" },
      null,
    ]);
    expect(summary.sort()).toEqual(["find:cc_ApplicationBase", "find:cc_HostBase", "find:cc_Process", "find:paas_applications"]);
    // Each type's keys in one $in, in representation order, repeats removed.
    const hosts = commands.find((c) => c.collection === "cc_HostBase");
    expect(JSON.stringify(hosts?.command.filter)).toContain("[5,4,404,9]");
  });

  it("applies the caller's access scope and owner: outside them an entity reads as missing", async () => {
    const paas = await database.recordCommands(() => entities([{ __typename: "PaasApp", code: "example" }, { __typename: "PaasApp", code: "legacy-app" }], scoped));
    expect(paas.result.body.data?._entities).toEqual([null, { __typename: "PaasApp", code: "legacy-app", name: "Legacy" }]);
    expect(JSON.stringify(paas.commands[0].command.filter)).not.toContain("example");

    // A token (here: the anonymous scope) of business 3 only, over every owner: nothing of business 2,
    // hosts only where a service instance of business 3 runs, no PaaS app.
    const cmdb = await entities(
      [
        { __typename: "CmdbBusiness", bkBizId: 2 },
        { __typename: "CmdbBusiness", bkBizId: 3 },
        { __typename: "CmdbProcess", bkProcessId: 45 },
        { __typename: "CmdbProcess", bkProcessId: 90 },
        { __typename: "CmdbHost", bkHostId: 4 },
        { __typename: "CmdbHost", bkHostId: 9 },
        { __typename: "PaasApp", code: "example" },
      ],
      business3,
      { "x-bkcmdb-supplier-account": "superadmin" },
    );
    expect(cmdb.body.errors).toBeUndefined();
    expect(cmdb.body.data?._entities).toEqual([
      null,
      { __typename: "CmdbBusiness", bkBizId: 3, bkBizName: "tenant biz" },
      null,
      { __typename: "CmdbProcess", bkProcessId: 90, bkProcessName: expect.any(String) },
      null,
      { __typename: "CmdbHost", bkHostId: 9, bkHostName: "tenant-host" },
      null,
    ]);

    const owner = await entities([{ __typename: "CmdbHost", bkHostId: 9 }], server, { "x-bkcmdb-supplier-account": "tencent" });
    expect(owner.body.data?._entities).toEqual([{ __typename: "CmdbHost", bkHostId: 9, bkHostName: "tenant-host" }]);
  });

  it.each([
    [["a string"], "representations[0]: not an object with a __typename"],
    [[{ bkHostId: 4 }], "representations[0]: not an object with a __typename"],
    [[{ __typename: "CmdbHost", bkHostId: 4 }, { __typename: "Nope", id: 1 }], "representations[1]: Nope is not an entity of this subgraph"],
    [[{ __typename: "CmdbPageInfo" }], "representations[0]: CmdbPageInfo is not an entity of this subgraph"],
    [[{ __typename: "CmdbHost" }], "representations[0]: CmdbHost is keyed by bkHostId, which is missing"],
    [[{ __typename: "CmdbHost", bkHostId: "4; drop" }], "representations[0]: bkHostId: SafeInt cannot represent non-integer value"],
    [[{ __typename: "CmdbHost", bkHostId: 2 ** 60 }], "representations[0]: bkHostId: SafeInt cannot represent"],
    [[{ __typename: "PaasApp", code: { $gt: "" } }], "representations[0]: code: String cannot represent a non string value"],
  ])("refuses bad representations %j with BAD_USER_INPUT, before reading anything", async (representations, message) => {
    const { result, commands } = await database.recordCommands(() => entities(representations));
    expect(result.status).toBe(200);
    expect(result.body.data).toBeNull();
    expect(result.body.errors?.[0].message).toContain(message);
    expect(result.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(commands).toEqual([]);
  });

  it("keeps the merge point's limit of 500 keys per type", async () => {
    const representations = Array.from({ length: 501 }, (_, i) => ({ __typename: "CmdbHost", bkHostId: i }));
    const { body } = await entities(representations);
    expect(body.errors?.[0]).toMatchObject({ message: "ids: at most 500 ids per call", extensions: { code: "BAD_USER_INPUT" } });
  });
});

describe("the federation endpoint sits behind the same authentication, limits and metrics as /graphql", () => {
  it("answers 401 without a token when anonymous access is off", async () => {
    const { status, body } = await entities([{ __typename: "CmdbHost", bkHostId: 4 }], closed);
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses an alias bomb with the alias limit", async () => {
    const aliases = Array.from({ length: 101 }, (_, i) => `a${i}: __typename`).join(" ");
    const { status, body } = await federation(server, `{ ${aliases} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe("QUERY_TOO_MANY_ALIASES");
  });

  it("costs each representation as one entity read", async () => {
    const representations = Array.from({ length: 100 }, (_, i) => ({ __typename: "CmdbHost", bkHostId: i }));
    const { status, body } = await entities(representations, scoped);
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe("QUERY_TOO_COSTLY");
  });

  it("counts its requests by operation name", async () => {
    await entities([{ __typename: "CmdbHost", bkHostId: 4 }]);
    const metrics = await (await server.request("/metrics")).text();
    expect(metrics).toMatch(/procgraph_graphql_requests_total\{operation="Entities",outcome="success"\} \d+/);
    expect(metrics).toMatch(/procgraph_http_requests_total\{method="POST",route="\/graphql\/federation",status="200"\} \d+/);
  });
});

describe("a federation gateway over procgraph's subgraph (HTTP) and a second subgraph extending CmdbHost", () => {
  const procgraphRequests: string[] = [];
  let gateway: ApolloServer;

  beforeAll(async () => {
    const sdl = ((await federation(server, gatewayOperation("service"))).body.data?._service as { sdl: string }).sdl;
    const racks = federatedRackSchema();
    const composed = composeServices([
      { name: "procgraph", typeDefs: parse(sdl), url: `${server.url}/graphql/federation` },
      { name: "racks", typeDefs: parse(await racksSdl(racks)), url: "local://racks" },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join("\n"));
    class RecordingDataSource extends RemoteGraphQLDataSource {
      override willSendRequest({ request }: GraphQLDataSourceProcessOptions) {
        procgraphRequests.push(JSON.stringify({ query: request.query, variables: request.variables }));
      }
    }
    gateway = new ApolloServer({
      gateway: new ApolloGateway({
        supergraphSdl: composed.supergraphSdl,
        buildService: ({ name, url }) => (name === "racks" ? new LocalGraphQLDataSource(racks) : new RecordingDataSource({ url })),
      }),
    });
    await gateway.start();
  });
  afterAll(async () => {
    await gateway?.stop();
  });
  beforeEach(() => {
    procgraphRequests.length = 0;
  });

  async function run(name: string, variables: Record<string, unknown> = {}) {
    const response = await gateway.executeOperation({ query: gatewayOperation(name), variables });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return response.body.singleResult;
  }

  it("extends procgraph's hosts with the racks subgraph's field", async () => {
    const result = await run("hosts-with-rack");
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(EXPECTED.hostList);
    expect(procgraphRequests).toHaveLength(1);
  });

  it("completes the racks subgraph's hosts through procgraph's _entities: one request, one query", async () => {
    const { result, summary } = await database.recordCommands(() => run("rack-hosts", { rack: "R1" }));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(EXPECTED.rackR1);
    expect(procgraphRequests).toHaveLength(1);
    expect(procgraphRequests[0]).toContain("_entities(representations:");
    expect(summary).toEqual(["find:cc_HostBase"]);
  });
});

/** The racks subgraph's own SDL, read from it as a gateway would. */
async function racksSdl(schema: GraphQLSchema): Promise<string> {
  const result = await graphql({ schema, source: gatewayOperation("service") });
  return (result.data?._service as { sdl: string }).sdl;
}
