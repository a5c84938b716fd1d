import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const database = useTestDatabase();
const server = useTestServer(database, { NODE_ENV: "production" });

async function post(query: string) {
  const response = await server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { errors?: Array<{ message: string; extensions: Record<string, unknown> }> } };
}

describe("production mode", () => {
  it("turns introspection off", async () => {
    const { status, body } = await post("{ __schema { types { name } } }");
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(body.errors?.[0].message).toMatch(/introspection/i);
  });

  it("does not describe the schema in error messages", async () => {
    const { body } = await post("{ procgrap { version } }");
    expect(body.errors?.[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(body.errors?.[0].message).not.toMatch(/Did you mean/);
  });
});
