import fs from "node:fs";
import path from "node:path";
import { buildHTTPExecutor } from "@graphql-tools/executor-http";
import { stitchSchemas } from "@graphql-tools/stitch";
import { stitchingDirectives } from "@graphql-tools/stitching-directives";
import type { Executor } from "@graphql-tools/utils";
import { buildSchema, graphql, print, type GraphQLSchema } from "graphql";
import { insertFixture } from "../helpers/cmdbFixture";
import { FiftyAliasesDocument, SdlDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { EXPECTED, gatewayOperation, stitchingRackSchema } from "../helpers/rackSchema";

const database = useTestDatabase();
const server = useTestServer(database);
const production = useTestServer(database, { NODE_ENV: "production" });

beforeAll(async () => {
  await insertFixture(database.db);
});

const schemaFile = () => fs.readFileSync(path.join(__dirname, "..", "..", "schema", "schema.graphql"), "utf8");

describe("_sdl", () => {
  it("is schema/schema.graphql: the printed schema with the stitching directives", async () => {
    const result = await server.graphql(SdlDocument);
    expect(result.errors).toBeUndefined();
    expect(result.data?._sdl).toBe(schemaFile());
    expect(result.data?._sdl).toContain('type CmdbHost implements Node @key(selectionSet: "{ bkHostId }")');
    expect(result.data?._sdl).toMatch(/cmdbHosts\(ids: \[SafeInt!\]!\): \[CmdbHost\]! @merge\(keyField: "bkHostId", keyArg: "ids"\)/);
    expect(result.data?._sdl).toMatch(/paasApps\(codes: \[String!\]!\): \[PaasApp\]! @merge\(keyField: "code", keyArg: "codes"\)/);
  });

  it("answers in production, where introspection is off", async () => {
    const introspection = await production.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __schema { queryType { name } } }" }),
    });
    expect(introspection.status).toBe(400);
    const result = await production.graphql(SdlDocument);
    expect(result.errors).toBeUndefined();
    expect(result.data?._sdl).toBe(schemaFile());
  });
});

describe("a stitching gateway over procgraph (HTTP) and a second schema extending CmdbHost", () => {
  const procgraphCalls: Array<{ query: string; variables: unknown }> = [];
  const rackCalls: unknown[] = [];
  let gateway: GraphQLSchema;

  beforeAll(async () => {
    const { stitchingDirectivesTransformer } = stitchingDirectives();
    const http = buildHTTPExecutor({ endpoint: `${server.url}/graphql` });
    const procgraph: Executor = (request) => {
      procgraphCalls.push({ query: print(request.document), variables: request.variables });
      return http(request);
    };
    const sdl = (await server.graphql(SdlDocument)).data?._sdl;
    gateway = stitchSchemas({
      subschemaConfigTransforms: [stitchingDirectivesTransformer],
      subschemas: [
        { schema: buildSchema(sdl ?? ""), executor: procgraph, batch: true },
        { schema: stitchingRackSchema(rackCalls), batch: true },
      ],
    });
  });

  beforeEach(() => {
    procgraphCalls.length = 0;
    rackCalls.length = 0;
  });

  it("extends procgraph's hosts with the second schema's field, in one batched merge call", async () => {
    const result = await graphql({ schema: gateway, source: gatewayOperation("hosts-with-rack") });
    expect(result.errors).toBeUndefined();
    // The fixture's hosts of owner "0" (host 9 belongs to another owner); host 404 exists only in the rack schema.
    expect(result.data).toEqual(EXPECTED.hostList);
    expect(procgraphCalls).toHaveLength(1);
    expect(rackCalls).toEqual([[4, 5]]);
  });

  it("completes the second schema's hosts through procgraph's cmdbHosts(ids) merge point: one request, one query", async () => {
    const { result, summary } = await database.recordCommands(() => graphql({ schema: gateway, source: gatewayOperation("rack-hosts"), variableValues: { rack: "R1" } }));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(EXPECTED.rackR1);
    expect(procgraphCalls).toHaveLength(1);
    expect(procgraphCalls[0].query).toMatch(/cmdbHosts\(ids:/);
    expect(JSON.stringify(procgraphCalls[0])).toMatch(/\[4,5,404\]/);
    expect(summary.filter((s) => s === "find:cc_HostBase")).toHaveLength(1);
  });
});

describe("aliases", () => {
  it("lets a gateway send 50 aliased by-ids root fields in one request", async () => {
    const result = await server.graphql(FiftyAliasesDocument, { ids: [4, 5] });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(Object.keys(result.data ?? {})).toHaveLength(50);
    expect(result.data?.h50).toEqual([{ bkHostId: 4 }, { bkHostId: 5 }]);
  });
});
