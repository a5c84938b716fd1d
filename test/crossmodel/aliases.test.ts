import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { encodeId, insertGraphFixture } from "../helpers/crossModelFixture";

// Default limits (aliases 100): a gateway batching entity lookups sends one aliased root field per entity.
const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

async function post(query: string) {
  const response = await server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
}

describe("aliased root fields of the graph", () => {
  it("answers 50 aliased node() fields with one query per type", async () => {
    const ids = [45, 46, 47, 48].map((id) => encodeId("CmdbProcess", id));
    const apps = ["example", "legacy-app"].map((code) => encodeId("PaasApp", code));
    const fields = Array.from({ length: 50 }, (_, i) => {
      const id = i % 2 === 0 ? ids[i % ids.length] : apps[i % apps.length];
      return `n${i}: node(id: "${id}") { id ... on CmdbProcess { bkProcessName } ... on PaasApp { code } }`;
    });
    const { result, summary } = await database.recordCommands(() => post(`{ ${fields.join(" ")} }`));
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(Object.keys(result.body.data!)).toHaveLength(50);
    expect(result.body.data!.n0).toEqual({ id: ids[0], bkProcessName: "pr1" });
    expect(result.body.data!.n1).toEqual({ id: apps[1], code: "legacy-app" });
    expect([...summary].sort()).toEqual(["find:cc_Process", "find:paas_applications"]);
  });

  it("answers 60 aliased fields mixing nodes, processes and summaries", async () => {
    const fields = [
      ...Array.from({ length: 20 }, (_, i) => `a${i}: nodes(ids: ["${encodeId("CmdbHost", 4)}", "${encodeId("PaasProcess", "example/default/prod/web")}"]) { id }`),
      ...Array.from({ length: 20 }, (_, i) => `b${i}: processes(first: 2, filter: { source: PAAS }) { nodes { id name } }`),
      ...Array.from({ length: 20 }, (_, i) => `c${i}: dashboardSummary { health { total } }`),
    ];
    const { status, body } = await post(`{ ${fields.join(" ")} }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data!)).toHaveLength(60);
    expect(body.data!.c19).toEqual({ health: { total: 8 } });
  });
});
