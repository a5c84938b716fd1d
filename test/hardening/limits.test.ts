import "reflect-metadata";
import { parse, type OperationDefinitionNode, type FragmentDefinitionNode } from "graphql";
import { aliasCount, queryDepth } from "../../src/graphql/limits";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

function measure(source: string) {
  const document = parse(source);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === "FragmentDefinition") fragments[definition.name.value] = definition;
    if (definition.kind === "OperationDefinition") operation = definition;
  }
  return { depth: queryDepth(operation!.selectionSet, fragments), aliases: aliasCount(operation!.selectionSet, fragments) };
}

describe("limit measures", () => {
  it("counts depth through fragments, leaving introspection out", () => {
    expect(measure("{ a { b { c } } }")).toEqual({ depth: 3, aliases: 0 });
    expect(measure("{ a { ...F } } fragment F on T { b { ... on U { c { d } } } }")).toEqual({ depth: 4, aliases: 0 });
    expect(measure("{ __schema { types { fields { type { ofType { ofType { name } } } } } } a }")).toEqual({ depth: 1, aliases: 0 });
  });

  it("counts an alias in a fragment once per spread", () => {
    expect(measure("{ x: a { y: b } ...F ...F } fragment F on Q { z: a { w: b } }")).toEqual({ depth: 2, aliases: 6 });
  });
});

const database = useTestDatabase();
const server = useTestServer(database, { LIMIT_MAX_ALIASES: "50", LIMIT_MAX_TOKENS: "400", LIMIT_MAX_COST: "120", LIMIT_MAX_DEPTH: "6" });

async function post(query: string) {
  const response = await server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions: Record<string, unknown> }> } };
}

const aliased = (n: number, fields = "version") => `{ ${Array.from({ length: n }, (_, i) => `a${i}: procgraph { ${fields} }`).join(" ")} }`;

describe("query limits over HTTP", () => {
  it("lets a gateway batch 50 aliased root fields", async () => {
    const { status, body } = await post(aliased(50));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data as object)).toHaveLength(50);
  });

  it("refuses the 51st alias with its own code, naming the limit and its value", async () => {
    const { status, body } = await post(aliased(51));
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { message: "query uses 51 aliases; the limit is 50", extensions: { code: "QUERY_TOO_MANY_ALIASES", limit: { name: "aliases", value: 51, max: 50 } } },
    ]);
  });

  it("refuses a query over the cost limit (one per field)", async () => {
    // 40 aliases x (procgraph + 3 fields) = 160 > 120
    const { status, body } = await post(aliased(40, "version databaseName databaseServerVersion"));
    expect(status).toBe(400);
    expect(body.errors?.[0]).toEqual({ message: "query cost 160 exceeds the limit of 120", extensions: { code: "QUERY_TOO_COSTLY", limit: { name: "cost", value: 160, max: 120 } } });
  });

  it("refuses a document over the token limit while parsing", async () => {
    const { status, body } = await post(`{ ${"procgraph { version } ".repeat(120)} }`);
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ message: "query has more than 400 tokens, the limit", extensions: { code: "QUERY_TOO_MANY_TOKENS", limit: { name: "tokens", max: 400 } } }]);
  });

  it("multiplies by page-size variables, measured per request even for a repeated document", async () => {
    const query = "query Page($first: Int) { cmdbProcessList(first: $first) { nodes { bkProcessId bkProcessName } } }";
    const send = (first: number) =>
      server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables: { first } }) });
    // cmdbProcessList + nodes + 2 fields per node: 1 + first × 3 (+1 for nodes)
    expect((await send(10)).status).toBe(200);
    const refused = await send(100);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe("QUERY_TOO_COSTLY");
    expect((await send(10)).status).toBe(200);
  });

  it("refuses a query deeper than the depth limit", async () => {
    const deep = await post("{ cmdbProcessList(first: 1) { nodes { serviceInstance { module { set { business { bkBizName } } } } } } }");
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]).toEqual({ message: "query depth 7 exceeds the limit of 6", extensions: { code: "QUERY_TOO_DEEP", limit: { name: "depth", value: 7, max: 6 } } });
  });

  it("leaves an unknown operation name to Apollo's own 400", async () => {
    const response = await server.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ procgraph { version } }", operationName: "__proto__" }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> }).errors).toEqual([
      { message: 'Unknown operation named "__proto__".', extensions: { code: "OPERATION_RESOLUTION_FAILURE" } },
    ]);
  });

  it("still answers a normal query afterwards, and counts the refusals in /metrics", async () => {
    const { status, body } = await post("{ procgraph { version } }");
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const metrics = await (await server.request("/metrics")).text();
    expect(metrics).toContain('procgraph_limit_refusals_total{limit="aliases"} 1');
    expect(metrics).toContain('procgraph_limit_refusals_total{limit="cost"} 2');
    expect(metrics).toContain('procgraph_limit_refusals_total{limit="depth"} 1');
  });
});
