import { MongoNetworkError } from "mongodb";
import pino from "pino";
import { AccessScope } from "../../src/auth/scope";
import { loadConfig } from "../../src/config";
import { DeadlineExceededError } from "../../src/db/health";
import * as context from "../../src/graphql/context";
import { PaasManager } from "../../src/paas/providers/manager";
import { PaasStore } from "../../src/paas/providers/store";
import { PaasAppPageDocument, PaasProcessListDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { pastDeadlines, TIMEOUT_DETAIL } from "../helpers/deadline";
import { useTestServer } from "../helpers/server";
import { writePaasFixture } from "../helpers/paasFixture";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  await writePaasFixture(database.db);
});

afterEach(() => {
  jest.restoreAllMocks();
});

const LIST = "/api/bkapps/applications/example/envs/prod/processes/list/";

function paasContext(requestTimeoutMs: number) {
  const deps = { config: { ...loadConfig({}), requestTimeoutMs }, client: database.client, db: database.db, logger: pino({ level: "silent" }) };
  return context.createRequestContext(deps, { requestId: "deadline-test", headers: {} }, { principal: "test", anonymous: false, scope: AccessScope.ALL });
}

describe("the request deadline on PaaS queries", () => {
  it("sends the time left as maxTimeMS with every PaaS query: the store's direct ones (page, count, default module) and the loaders'", async () => {
    const { commands } = await database.recordCommands(async () => {
      await server.graphql(PaasAppPageDocument, { first: 2 });
      await server.request(LIST);
    });
    const paas = commands.filter((c) => c.collection?.startsWith("paas_"));
    expect(paas.map((c) => `${c.name}:${c.collection}`)).toEqual(expect.arrayContaining(["find:paas_applications", "aggregate:paas_applications"]));
    expect(paas.some((c) => c.collection === "paas_modules" && (c.command.filter as Record<string, unknown>).is_default === true)).toBe(true);
    for (const command of paas) {
      expect(command.command.maxTimeMS).toBeGreaterThan(0);
      expect(command.command.maxTimeMS).toBeLessThanOrEqual(15_000);
    }
  });

  it("starts no query once the deadline has passed", async () => {
    const ctx = paasContext(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const manager = PaasManager.of(ctx);
    const { result, commands } = await database.recordCommands(() =>
      Promise.allSettled([
        manager.appPage({}, 5, null, "all"),
        PaasStore.of(ctx).countApps({}),
        manager.processList({ appCode: "example", moduleName: null, environment: "prod", onlyLatestVersion: false }),
        manager.processList({ appCode: "example", moduleName: "default", environment: "prod", onlyLatestVersion: false }),
      ]),
    );
    expect(result.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    for (const r of result) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DeadlineExceededError);
    expect(commands).toEqual([]);
  });

  it("answers GraphQL with TIMEOUT", async () => {
    pastDeadlines();
    const page = await server.graphql(PaasAppPageDocument, { first: 2 });
    expect(page.errors).toEqual([{ message: TIMEOUT_DETAIL, locations: [{ line: 2, column: 3 }], path: ["paasAppList"], extensions: { code: "TIMEOUT" } }]);
    const list = await server.graphql(PaasProcessListDocument, { appCode: "example", environment: "PROD" });
    expect(list.errors?.map((e) => e.extensions?.code)).toEqual(["TIMEOUT"]);
  });

  it("answers REST with 504 {code: TIMEOUT, detail}, without Retry-After", async () => {
    pastDeadlines();
    const response = await server.request(LIST);
    expect(response.status).toBe(504);
    expect(response.headers.get("retry-after")).toBeNull();
    expect(await response.text()).toBe(JSON.stringify({ code: "TIMEOUT", detail: TIMEOUT_DETAIL }));
  });
});

describe("PaaS REST answers for failures that are not the caller's", () => {
  it("answers a MongoDB outage with 503 {code: SERVICE_UNAVAILABLE, detail}", async () => {
    jest.spyOn(PaasManager.prototype, "processList").mockRejectedValue(new MongoNetworkError("connection refused"));
    const response = await server.request(LIST);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.text()).toBe(JSON.stringify({ code: "SERVICE_UNAVAILABLE", detail: "MongoDB is unavailable; try again shortly" }));
  });

  it("answers anything else with a 500 without a stack trace or the error's text", async () => {
    jest.spyOn(PaasManager.prototype, "processList").mockRejectedValue(new Error("secret internals at /srv/procgraph/x.js:1"));
    const response = await server.request(LIST, { headers: { "x-request-id": "paas-500" } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: "INTERNAL_SERVER_ERROR", detail: "Internal server error", request_id: "paas-500" });
  });
});
