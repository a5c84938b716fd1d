import net from "node:net";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

/*
 * Slow uploads, sent the way an attacker (or a bad network) sends them: raw sockets that declare a
 * body of 100,000 bytes and then trickle it. The body is read before a request takes one of the
 * MAX_CONCURRENT_REQUESTS slots, within REQUEST_BODY_TIMEOUT_MS, so they hold connections only.
 */
const database = useTestDatabase();
const BODY_TIMEOUT_MS = 1_500;
const server = useTestServer(database, {
  MAX_CONCURRENT_REQUESTS: "2",
  MAX_QUEUED_REQUESTS: "4",
  REQUEST_TIMEOUT_MS: "3000",
  REQUEST_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
});

beforeAll(async () => {
  await database.db.collection("cc_Process").insertMany(
    Array.from({ length: 20 }, (_, i) => ({ bk_process_id: i + 1, bk_biz_id: 2, bk_supplier_account: "0", bk_process_name: `p${i}` })),
  );
});

interface Trickler {
  /** Everything the server sent, once it closed the connection. */
  answer: Promise<{ text: string; closedAfterMs: number }>;
  stop(): void;
}

/** Sends the headers of a POST with `Content-Length: 100000`, then one byte of body every 100 ms. */
function trickle(path: string, extraHeaders = ""): Trickler {
  const { port } = new URL(server.url);
  const socket = net.connect(Number(port), "127.0.0.1");
  const startedAt = Date.now();
  let text = "";
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    text += chunk;
  });
  socket.on("connect", () => {
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n${extraHeaders}\r\n{`);
    timer = setInterval(() => socket.write(" "), 100);
  });
  const answer = new Promise<{ text: string; closedAfterMs: number }>((resolve) => {
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ text, closedAfterMs: Date.now() - startedAt });
    });
    socket.on("error", () => undefined);
  });
  // Bounded: a server that never answers fails the test, it does not hang it.
  const guard = setTimeout(() => socket.destroy(), 15_000);
  void answer.then(() => clearTimeout(guard));
  return { answer, stop: () => socket.destroy() };
}

const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
const bodyOf = (raw: string) => raw.slice(raw.indexOf("\r\n\r\n") + 4);
const headerOf = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(raw.slice(0, raw.indexOf("\r\n\r\n")))?.[1];

const graphql = (query: string) =>
  server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });

describe("slow uploads (MAX_CONCURRENT_REQUESTS=2, REQUEST_BODY_TIMEOUT_MS=1500)", () => {
  it("two trickled CMDB REST bodies hold no slot: GraphQL requests meanwhile all succeed; each upload gets 408 and 1199000 in time", async () => {
    const uploads = [trickle("/api/v3/findmany/proc/process_related_info/biz/2"), trickle("/api/c/compapi/v2/cc/list_process_related_info/")];
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Four rounds of three concurrent operations while both uploads are in progress.
      for (let round = 0; round < 4; round++) {
        const responses = await Promise.all([1, 2, 3].map(() => graphql("{ processes(first: 3) { totalCount } }")));
        for (const response of responses) {
          expect(response.status).toBe(200);
          expect(await response.json()).toEqual({ data: { processes: { totalCount: 20 } } });
        }
      }
      const [native, esb] = await Promise.all(uploads.map((upload) => upload.answer));
      for (const answer of [native, esb]) {
        expect(statusOf(answer.text)).toBe(408);
        expect(headerOf(answer.text, "connection")).toBe("close");
        // Answered at the body timeout (plus the trickle's tick), and the connection closed with it.
        expect(answer.closedAfterMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
        expect(answer.closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + 1_500);
      }
      expect(JSON.parse(bodyOf(native.text))).toEqual({ result: false, bk_error_code: 1199000, bk_error_msg: "Deserializing JSON data failed", permission: null, data: null });
      expect(JSON.parse(bodyOf(esb.text))).toEqual({ result: false, code: 1199000, message: "Deserializing JSON data failed", data: null });
    } finally {
      for (const upload of uploads) upload.stop();
    }
  }, 30_000);

  it("answers a trickled GraphQL body with 408 BODY_TIMEOUT in the GraphQL shape and the media type asked for", async () => {
    const upload = trickle("/graphql", "Accept: application/graphql-response+json\r\n");
    const { text } = await upload.answer;
    expect(statusOf(text)).toBe(408);
    expect(headerOf(text, "content-type")).toBe("application/graphql-response+json; charset=utf-8");
    expect(JSON.parse(bodyOf(text))).toEqual({
      errors: [{ message: `the request body did not arrive within ${BODY_TIMEOUT_MS} ms (REQUEST_BODY_TIMEOUT_MS)`, extensions: { code: "BODY_TIMEOUT" } }],
    });
  }, 30_000);

  it("answers a trickled PaaS REST body with 408 in bk-paas's error shape", async () => {
    const upload = trickle("/api/bkapps/applications/example/envs/prod/processes/list/");
    const { text } = await upload.answer;
    expect(statusOf(text)).toBe(408);
    expect(JSON.parse(bodyOf(text))).toEqual({ code: "BODY_TIMEOUT", detail: `the request body did not arrive within ${BODY_TIMEOUT_MS} ms (REQUEST_BODY_TIMEOUT_MS)` });
  }, 30_000);

  it("sets Node's HTTP server timeouts deliberately: headers 10 s, the whole request 1 s after the body's, keep-alive 65 s", () => {
    const httpServer = server.running.httpServer;
    expect([httpServer.headersTimeout, httpServer.requestTimeout, httpServer.keepAliveTimeout]).toEqual([10_000, 10_000 + BODY_TIMEOUT_MS + 1_000, 65_000]);
  });
});
