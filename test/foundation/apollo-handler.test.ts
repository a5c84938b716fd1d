import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type RequestHandler } from "express";
import { apolloHandler } from "../../src/http/apolloHandler";

/*
 * procgraph's Apollo handler (src/http/apolloHandler.ts) against Apollo's own Express integration:
 * one Apollo server behind two Express apps that differ only in the handler, the same raw requests
 * over real sockets, and the same status, headers and body back from both.
 */
const apollo = new ApolloServer<{ caller: string }>({
  typeDefs: "type Query { hello(name: String): String!, caller: String!, fails: Int }",
  resolvers: {
    Query: {
      hello: (_: unknown, { name }: { name?: string }) => `hello ${name ?? "world"}`,
      caller: (_: unknown, _args: unknown, context: { caller: string }) => context.caller,
      fails: () => {
        throw new Error("boom");
      },
    },
  },
});
const servers: http.Server[] = [];
let ours = 0;
let theirs = 0;

async function listen(handler: RequestHandler): Promise<number> {
  const app = express();
  app.set("etag", false);
  app.disable("x-powered-by");
  app.use("/graphql", express.json(), handler);
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  await apollo.start();
  const callerOf = (req: express.Request) => ({ caller: String(req.headers["x-caller"] ?? "nobody") });
  const handle = apolloHandler(apollo, async (req) => callerOf(req));
  ours = await listen((req, res, next) => void handle(req, res).catch(next));
  theirs = await listen(expressMiddleware(apollo, { context: async ({ req }) => callerOf(req) }));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await apollo.stop();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, method, path, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        const { date: _date, connection: _connection, "keep-alive": _keepAlive, ...rest } = response.headers;
        resolve({ status: response.statusCode ?? 0, headers: rest, body: text });
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}

const json = { "content-type": "application/json" };
const preflight = { "apollo-require-preflight": "1" };

describe("procgraph's Apollo handler", () => {
  it.each<[string, string, string, Record<string, string>, string | undefined]>([
    ["a query", "POST", "/graphql", json, JSON.stringify({ query: "{ hello }" })],
    ["variables and the context", "POST", "/graphql", { ...json, "x-caller": "ops" }, JSON.stringify({ query: "query Q($n: String) { hello(name: $n) caller }", variables: { n: "进程 🚀" } })],
    ["a resolver error", "POST", "/graphql", json, JSON.stringify({ query: "{ fails hello }" })],
    ["a syntax error", "POST", "/graphql", json, JSON.stringify({ query: "{ hello" })],
    ["a validation error", "POST", "/graphql", json, JSON.stringify({ query: "{ nope }" })],
    ["a body without a query", "POST", "/graphql", json, JSON.stringify({ variables: {} })],
    ["a batch (refused)", "POST", "/graphql", json, JSON.stringify([{ query: "{ hello }" }])],
    ["a graphql-response+json client", "POST", "/graphql", { ...json, accept: "application/graphql-response+json" }, JSON.stringify({ query: "{ hello }" })],
    ["a client accepting neither media type", "POST", "/graphql", { ...json, accept: "text/csv" }, JSON.stringify({ query: "{ hello }" })],
    ["GET with a query string", "GET", `/graphql?query=${encodeURIComponent("{ hello(name: \"a b+c\") }")}`, preflight, undefined],
    ["GET with characters url.parse escapes", "GET", "/graphql?query={hello(name:%22x'y%22)}&extensions={}", preflight, undefined],
    ["GET with variables", "GET", `/graphql?query=${encodeURIComponent("query Q($n: String) { hello(name: $n) }")}&variables=${encodeURIComponent('{"n":"z"}')}`, preflight, undefined],
    ["GET without the CSRF preflight header", "GET", `/graphql?query=${encodeURIComponent("{ hello }")}`, {}, undefined],
    ["GET of a mutation", "GET", `/graphql?query=${encodeURIComponent("mutation { hello }")}`, preflight, undefined],
    ["PUT", "PUT", "/graphql", json, JSON.stringify({ query: "{ hello }" })],
    ["HEAD", "HEAD", "/graphql", preflight, undefined],
  ])("answers %s as Apollo's Express integration does", async (_name, method, path, headers, body) => {
    const [mine, reference] = await Promise.all([send(ours, method, path, headers, body), send(theirs, method, path, headers, body)]);
    expect(mine).toEqual(reference);
    expect(reference.status).toBeGreaterThanOrEqual(200);
  });

  it("answers with a Content-Length and a media type with its charset", async () => {
    const answer = await send(ours, "POST", "/graphql", json, JSON.stringify({ query: '{ hello(name: "é") }' }));
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(Number(answer.headers["content-length"])).toBe(Buffer.byteLength(answer.body));
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: "hello é" } });
  });
});
