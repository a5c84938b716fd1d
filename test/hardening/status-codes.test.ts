import { MongoNetworkError } from "mongodb";
import { CmdbStore } from "../../src/cmdb/providers/store";
import { MongoHealth } from "../../src/db/health";
import { SystemResolver } from "../../src/system/resolvers";
import { useTestDatabase } from "../helpers/db";
import { pastDeadlines, TIMEOUT_DETAIL } from "../helpers/deadline";
import { useTestServer, type TestServer } from "../helpers/server";

/*
 * The one rule for request-level failures (README, "Running in production"): a response with
 * data is 200, partial or not; one without data because of the server's state is 503 (OVERLOADED,
 * SERVICE_UNAVAILABLE, with Retry-After) or 504 (TIMEOUT), without a `data` entry, for both
 * response media types.
 */
const database = useTestDatabase();
const server = useTestServer(database);
// One slot and no queue: a second operation while one runs is refused at once.
const single = useTestServer(database, { MAX_CONCURRENT_REQUESTS: "1", MAX_QUEUED_REQUESTS: "0" });

beforeAll(async () => {
  await database.db.collection("cc_Process").insertOne({ bk_process_id: 1, bk_biz_id: 2, bk_supplier_account: "0", bk_process_name: "p1" });
});

afterEach(() => {
  jest.restoreAllMocks();
});

const MEDIA_TYPES: Array<[string, string | undefined, string]> = [
  ["application/graphql-response+json", "application/graphql-response+json", "application/graphql-response+json; charset=utf-8"],
  ["application/json", "application/json", "application/json; charset=utf-8"],
  ["no Accept header (application/json)", undefined, "application/json; charset=utf-8"],
];

interface Answer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

async function post(target: TestServer, query: string, accept: string | undefined): Promise<Answer> {
  const response = await target.request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(accept ? { accept } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, contentType: response.headers.get("content-type"), retryAfter: response.headers.get("retry-after"), body: (await response.json()) as never };
}

const LIST = "{ cmdbProcessList(first: 2) { totalCount } }";
const UNAVAILABLE = { message: "MongoDB is unavailable; try again shortly", extensions: { code: "SERVICE_UNAVAILABLE" } };

describe.each(MEDIA_TYPES)("HTTP status codes with %s", (_name, accept, contentType) => {
  it("answers a complete result with 200", async () => {
    const answer = await post(server, LIST, accept);
    expect(answer).toEqual({ status: 200, contentType, retryAfter: null, body: { data: { cmdbProcessList: { totalCount: 1 } } } });
  });

  it("answers a partial result (one root field timed out, one answered) with 200 and its data", async () => {
    pastDeadlines();
    const answer = await post(server, "{ viewer { anonymous } cmdbProcess(id: 1) { bkProcessName } }", accept);
    expect([answer.status, answer.contentType, answer.retryAfter]).toEqual([200, contentType, null]);
    expect(answer.body).toEqual({
      data: { viewer: { anonymous: true }, cmdbProcess: null },
      errors: [{ message: TIMEOUT_DETAIL, locations: [{ line: 1, column: 24 }], path: ["cmdbProcess"], extensions: { code: "TIMEOUT" } }],
    });
  });

  it("answers a deadline reached with no data at all (every root field failed) with 504, no data entry and no Retry-After", async () => {
    pastDeadlines();
    const answer = await post(server, "{ a: cmdbProcess(id: 1) { bkProcessName } b: cmdbProcess(id: 2) { bkProcessName } }", accept);
    expect([answer.status, answer.contentType, answer.retryAfter]).toEqual([504, contentType, null]);
    expect(answer.body).not.toHaveProperty("data");
    expect((answer.body.errors as Array<{ path: string[]; extensions: unknown }>).map((e) => [e.path, e.extensions])).toEqual([
      [["a"], { code: "TIMEOUT" }],
      [["b"], { code: "TIMEOUT" }],
    ]);
  });

  it("answers a deadline reached on a non-null root field (data: null) with 504 and no data entry", async () => {
    pastDeadlines();
    const answer = await post(server, LIST, accept);
    expect([answer.status, answer.contentType, answer.retryAfter]).toEqual([504, contentType, null]);
    expect(answer.body).toEqual({ errors: [{ message: TIMEOUT_DETAIL, locations: [{ line: 1, column: 3 }], path: ["cmdbProcessList"], extensions: { code: "TIMEOUT" } }] });
  });

  it("answers MongoDB failing every root field with 503 and Retry-After: 2", async () => {
    jest.spyOn(CmdbStore.prototype, "query").mockImplementation(() => Promise.reject(new MongoNetworkError("connection refused")));
    const answer = await post(server, LIST, accept);
    expect([answer.status, answer.contentType, answer.retryAfter]).toEqual([503, contentType, "2"]);
    expect(answer.body).toEqual({ errors: [{ ...UNAVAILABLE, locations: [{ line: 1, column: 3 }], path: ["cmdbProcessList"] }] });
  });

  it("answers a request refused because MongoDB is known to be down with 503 and Retry-After: 2", async () => {
    jest.spyOn(MongoHealth.prototype, "available", "get").mockReturnValue(false);
    const answer = await post(server, LIST, accept);
    expect([answer.status, answer.contentType, answer.retryAfter]).toEqual([503, contentType, "2"]);
    expect(answer.body).toEqual({ errors: [UNAVAILABLE] });
  });

  it("answers OVERLOADED with 503 and Retry-After: 1", async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = SystemResolver.prototype.procgraph;
    jest.spyOn(SystemResolver.prototype, "procgraph").mockImplementation(async function (this: SystemResolver, ...args) {
      await held;
      return original.apply(this, args);
    });
    const holder = post(single, "{ procgraph { databaseName } }", accept);
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      const answer = await post(single, LIST, accept);
      expect([answer.status, answer.contentType, answer.retryAfter]).toEqual([503, contentType, "1"]);
      expect(answer.body).toEqual({
        errors: [{ message: expect.stringContaining("at its limit of 1 concurrent requests"), extensions: { code: "OVERLOADED" } }],
      });
    } finally {
      release();
    }
    expect((await holder).status).toBe(200);
  });
});
