import { GraphQLError } from "graphql";
import pino from "pino";
import { loadConfig } from "../../src/config";
import { formatError } from "../../src/http/graphqlPipeline";
import { ProcgraphInfoDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const database = useTestDatabase();
const server = useTestServer(database, { CORS_ORIGINS: "https://portal.example.com" });

describe("metrics", () => {
  it("exposes request, operation and MongoDB command counters in Prometheus format", async () => {
    await server.request("/healthz");
    const result = await server.graphql(ProcgraphInfoDocument);
    expect(result.errors).toBeUndefined();
    const response = await server.request("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('procgraph_http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(text).toContain('procgraph_http_requests_total{method="POST",route="/graphql",status="200"} 1');
    expect(text).toContain('procgraph_graphql_requests_total{operation="ProcgraphInfo",outcome="success"} 1');
    expect(text).toMatch(/procgraph_graphql_request_duration_seconds_count\{operation="ProcgraphInfo",outcome="success"\} 1/);
    expect(text).toMatch(/procgraph_mongodb_commands_total\{command="buildInfo",outcome="success"\} \d+/);
    expect(text).toContain("# TYPE procgraph_loader_batch_size histogram");
    expect(text).toContain("procgraph_process_resident_memory_bytes");
  });
});

describe("CORS allowlist", () => {
  it("allows a configured origin, and exposes the request id to it", async () => {
    const response = await server.request("/healthz", { headers: { origin: "https://portal.example.com" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("https://portal.example.com");
    expect(response.headers.get("access-control-expose-headers")).toBe("x-request-id");
    expect(response.headers.get("vary")).toMatch(/Origin/);
  });

  it("answers an allowed preflight and refuses another origin's", async () => {
    const allowed = await server.request("/graphql", {
      method: "OPTIONS",
      headers: { origin: "https://portal.example.com", "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(allowed.headers.get("access-control-allow-headers")).toBe("content-type,authorization");

    const refused = await server.request("/graphql", { method: "OPTIONS", headers: { origin: "https://evil.example.net", "access-control-request-method": "POST" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect(await refused.json()).toEqual({ code: "CORS_ORIGIN_NOT_ALLOWED", detail: "origin https://evil.example.net is not in CORS_ORIGINS" });
  });

  it("gives another origin's simple request no CORS headers (the browser refuses it)", async () => {
    const response = await server.request("/healthz", { headers: { origin: "https://evil.example.net" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("error masking", () => {
  const logged: unknown[] = [];
  const logger = pino({ level: "error" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const format = formatError({ logger, config: loadConfig({}) });

  it("masks an unexpected error and logs it in full", () => {
    const original = new Error("connection string mongodb://admin:secret@db leaked");
    const wrapped = new GraphQLError(original.message, { originalError: original, path: ["procgraph"] });
    const formatted = format({ message: original.message, path: ["procgraph"], extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at x"] } }, wrapped);
    expect(formatted).toEqual({ message: "Internal server error", path: ["procgraph"], locations: undefined, extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(JSON.stringify(logged)).toContain("leaked");
  });

  it("passes an intentional GraphQLError through, without a stack trace", () => {
    const intentional = new GraphQLError("no such business", { extensions: { code: "NOT_FOUND" } });
    expect(format({ message: "no such business", extensions: { code: "NOT_FOUND", stacktrace: ["at y"] } }, intentional)).toEqual({ message: "no such business", extensions: { code: "NOT_FOUND" } });
  });
});
