import { ProcgraphInfoDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const database = useTestDatabase();
const server = useTestServer(database);

describe("HTTP surface of the foundation", () => {
  it("answers a GraphQL query over POST with the database it reads", async () => {
    const result = await server.graphql(ProcgraphInfoDocument);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data?.procgraph.databaseName).toBe(database.db.databaseName);
    expect(result.data?.procgraph.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.data?.procgraph.databaseServerVersion).toMatch(/^\d+\.\d+/);
  });

  it("answers GET /graphql with a preflight header, and refuses it without one (CSRF prevention)", async () => {
    const query = encodeURIComponent("{ procgraph { version } }");
    const allowed = await server.request(`/graphql?query=${query}`, { headers: { "apollo-require-preflight": "1" } });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { data: unknown }).data).toEqual({ procgraph: { version: expect.any(String) } });

    const refused = await server.request(`/graphql?query=${query}`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/CSRF/);
  });

  it("gives malformed GraphQL a 400 with GRAPHQL_PARSE_FAILED and no stack trace", async () => {
    const response = await server.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ procgraph { " }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(body.errors[0].message).toMatch(/^Syntax Error/);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|\bat .+\.(js|ts):\d+/);
  });

  it("gives an unknown field a 400 with GRAPHQL_VALIDATION_FAILED", async () => {
    const response = await server.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ nope }" }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("gives a body that is not JSON a 400 JSON answer", async () => {
    const response = await server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ code: "INVALID_JSON", detail: "the request body is not valid JSON" });
  });

  it("answers unknown routes with 404 and a JSON body", async () => {
    const response = await server.request("/no/such/route?x=1");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: "NOT_FOUND", detail: "no route for GET /no/such/route" });
  });

  it("reports liveness and readiness", async () => {
    const health = await server.request("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await server.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("echoes a caller's x-request-id and makes one otherwise", async () => {
    const given = await server.request("/healthz", { headers: { "x-request-id": "dash-42" } });
    expect(given.headers.get("x-request-id")).toBe("dash-42");
    const made = await server.request("/healthz", { headers: { "x-request-id": "bad id with spaces" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the playground to a browser on / and GET /graphql, with a same-origin-only policy", async () => {
    for (const path of ["/", "/graphql"]) {
      const response = await server.request(path, { headers: { accept: "text/html,application/xhtml+xml" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      const html = await response.text();
      // Every script and stylesheet is a local path: nothing names another host.
      const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(urls.length).toBeGreaterThanOrEqual(5);
      for (const url of urls) expect(url).toMatch(/^(\/playground\/|data:)/);
    }
  });

  it("serves every playground asset from this server", async () => {
    for (const asset of ["react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css", "playground.js", "default-query.graphql"]) {
      const response = await server.request(`/playground/${asset}`);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });
});
