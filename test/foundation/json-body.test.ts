import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { jsonBody } from "../../src/http/jsonBody";

/*
 * The GraphQL endpoints' JSON reader (src/http/jsonBody.ts) against express.json() itself: the same
 * bytes, sent over real sockets to two servers that differ only in the reader, must give the same
 * parsed body or the same refusal (status and body-parser's error type). The echo also says which
 * road the reader took: its body-parser road is marked here.
 */
const LIMIT = 1024;

interface Answer {
  status: number;
  body: unknown;
}

function echoApp(reader: RequestHandler): express.Express {
  const app = express();
  app.post("/", reader, (req, res) => {
    res.json({ body: req.body as unknown, shortRoad: !(req as { tookBodyParser?: boolean }).tookBodyParser });
  });
  const refusal: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    res.status(error.status ?? 500).json({ type: error.type });
  };
  app.use(refusal);
  return app;
}

const servers: http.Server[] = [];
let ours = "";
let bodyParsers = "";

async function listen(app: express.Express): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const bodyParser = express.json({ limit: LIMIT });
  const markedBodyParser: RequestHandler = (req, res, next) => {
    (req as { tookBodyParser?: boolean }).tookBodyParser = true;
    bodyParser(req, res, next);
  };
  ours = await listen(echoApp(jsonBody(LIMIT, markedBodyParser)));
  bodyParsers = await listen(echoApp(express.json({ limit: LIMIT })));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** POSTs `parts` (written 20 ms apart when more than one) with exactly `headers`. */
function post(host: string, headers: Record<string, string>, parts: Buffer[]): Promise<Answer> {
  const [hostname, port] = host.split(":");
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port: Number(port), method: "POST", path: "/", headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    request.on("error", reject);
    void (async () => {
      for (const [index, part] of parts.entries()) {
        if (index > 0) await new Promise((resolve) => setTimeout(resolve, 20));
        request.write(part);
      }
      request.end();
    })();
  });
}

const utf8 = (text: string) => Buffer.from(text, "utf8");
const declared = (parts: Buffer[], contentType = "application/json") => ({
  "content-type": contentType,
  "content-length": String(parts.reduce((sum, part) => sum + part.length, 0)),
});

/** Both servers' answers to the same request; the echo's `shortRoad` flag apart. */
async function bothAnswers(headers: Record<string, string>, parts: Buffer[]) {
  const [short, reference] = await Promise.all([post(ours, headers, parts), post(bodyParsers, headers, parts)]);
  const withoutFlag = (answer: Answer) => ({ status: answer.status, body: { ...(answer.body as object), shortRoad: undefined } });
  return { short, reference, same: () => expect(withoutFlag(short)).toEqual(withoutFlag(reference)) };
}

const takenShortRoad = (answer: Answer) => (answer.body as { shortRoad?: boolean }).shortRoad;

describe("the GraphQL endpoints' JSON reader", () => {
  it.each([
    ["an object", [utf8('{"query":"{ __typename }","variables":{"a":[1,2.5,null,true]}}')]],
    ["an array (a batch)", [utf8('[{"query":"{ a }"},{"query":"{ b }"}]')]],
    ["text outside ASCII", [utf8('{"query":"{ 进程 }","v":"Ünïcødé 🚀"}')]],
    ["leading whitespace", [utf8(' \t\r\n{"query":"{ a }"}')]],
    ["a byte order mark", [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"query":"{ a }"}')])]],
    ["a body in three packets", [utf8('{"query":'), utf8('"{ __typename }",'), utf8('"variables":{}}')]],
    ["a character split across packets", [Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xe8, 0xbf]), Buffer.from([0x9b, 0x22, 0x7d])]],
  ])("reads %s on the short road, as body-parser does", async (_name, parts) => {
    const answers = await bothAnswers(declared(parts), parts);
    answers.same();
    expect(answers.short.status).toBe(200);
    expect(takenShortRoad(answers.short)).toBe(true);
  });

  it.each([
    ["a number (not an object or array)", [utf8("123")]],
    ["a string", [utf8('"text"')]],
    ["JSON cut short", [utf8('{"query":"{ a }"')]],
    ["not JSON", [utf8("{not json")]],
    ["only whitespace", [utf8("   ")]],
  ])("refuses %s with body-parser's status and error type", async (_name, parts) => {
    const answers = await bothAnswers(declared(parts), parts);
    answers.same();
    expect(answers.short).toEqual({ status: 400, body: { type: "entity.parse.failed" } });
  });

  it.each<[string, Record<string, string>, Buffer[]]>([
    ["a chunked upload", { "content-type": "application/json", "transfer-encoding": "chunked" }, [utf8('{"query":"{ a }"}')]],
    ["a compressed body", { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(zlib.gzipSync('{"query":"{ a }"}').length) }, [zlib.gzipSync('{"query":"{ a }"}')]],
    ["another charset", declared([utf8('{"a":1}')], "application/json; charset=utf-16"), [utf8('{"a":1}')]],
    ["another spelling of the media type", declared([utf8('{"a":1}')], "Application/JSON"), [utf8('{"a":1}')]],
    ["an empty body", { "content-type": "application/json", "content-length": "0" }, []],
    ["a body over the limit", declared([utf8(`{"a":"${"x".repeat(LIMIT)}"}`)]), [utf8(`{"a":"${"x".repeat(LIMIT)}"}`)]],
    ["another media type", declared([utf8('{"a":1}')], "text/plain"), [utf8('{"a":1}')]],
  ])("leaves %s to body-parser, with its answer", async (_name, headers, parts) => {
    const answers = await bothAnswers(headers, parts);
    answers.same();
    if (answers.short.status === 200) expect(takenShortRoad(answers.short)).toBe(false);
  });

  it("refuses a body over the limit with 413 and a charset it cannot read with 415, as body-parser does", async () => {
    const large = [utf8(`{"a":"${"x".repeat(LIMIT)}"}`)];
    expect((await bothAnswers(declared(large), large)).short).toEqual({ status: 413, body: { type: "entity.too.large" } });
    const body = [utf8('{"a":1}')];
    expect((await bothAnswers(declared(body, "application/json; charset=klingon"), body)).short).toEqual({ status: 415, body: { type: "charset.unsupported" } });
  });
});
