import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { hashToken } from "../../src/auth/tokens";
import { PaasAppPageDocument, PaasAppsByCodesDocument, PaasAppTreeDocument, PaasDashboardDocument, PaasInstanceUpDocument, PaasProcessListDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer, type TestServer } from "../helpers/server";
import { writePaasFixture } from "../helpers/paasFixture";

// The fixture's apps: example, legacy-app, no-default. Tokens come from a file, so resolving one
// sends no command and the recorded commands below are the PaaS queries alone.
const TOKENS = {
  example: "token-example-only-0123456789",
  two: "token-example-and-legacy-0123456789",
  all: "token-scope-all-0123456789abcdef",
  none: "token-no-paas-app-0123456789abcdef",
};
const tokensFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-paas-tokens-")), "tokens.json");
fs.writeFileSync(
  tokensFile,
  JSON.stringify({
    tokens: [
      { name: "example-only", sha256: hashToken(TOKENS.example), scope: { cmdbBusinesses: "*", paasApps: ["example"] } },
      { name: "two-apps", sha256: hashToken(TOKENS.two), scope: { paasApps: ["legacy-app", "example"] } },
      { name: "everything", sha256: hashToken(TOKENS.all), scope: "*" },
      { name: "cmdb-only", sha256: hashToken(TOKENS.none), scope: { cmdbBusinesses: "*", paasApps: [] } },
    ],
  }),
);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const database = useTestDatabase();
const server = useTestServer(database, { ANONYMOUS_SCOPE: "none", TOKENS_FILE: tokensFile });
// A second server on the same data that lets requests without a token read one app.
const anonymousServer = useTestServer(database, { ANONYMOUS_SCOPE: '{"cmdbBusinesses":[],"paasApps":["legacy-app"]}' });

beforeAll(async () => {
  await writePaasFixture(database.db);
});

const LIST_PATHS = (code: string) => [
  `/api/bkapps/applications/${code}/modules/default/envs/prod/processes/list/`,
  `/api/bkapps/applications/${code}/envs/prod/processes/list/`,
  `/api/bkapps/applications/${code}/envs/prod/processes/list/?only_latest_version=maybe`,
  `/api/bkapps/applications/${code}/envs/dev/processes/list/`,
];

interface RawAnswer {
  status: number;
  type: string | null;
  text: string;
}

async function rest(target: TestServer, url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const response = await target.request(url, { headers });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

/** The GraphQL answer as sent (status, type, bytes), for comparisons that must be exact. */
async function rawGraphql<R, V>(target: TestServer, document: TypedDocumentNode<R, V>, variables: V, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const response = await target.request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

/** The commands an action sends to the PaaS collections. */
async function paasCommands<T>(action: () => Promise<T>): Promise<{ result: T; summary: string[] }> {
  const { result, summary } = await database.recordCommands(action);
  return { result, summary: summary.filter((s) => s.includes(":paas_")) };
}

describe("PaaS access scope: a token scoped to one app", () => {
  it("sees only that app in paasAppList: totalCount, edges, nodes and pageInfo (filtered in MongoDB)", async () => {
    const { result, summary } = await paasCommands(() => server.graphql(PaasAppPageDocument, { first: 2 }, bearer(TOKENS.example)));
    expect(result.errors).toBeUndefined();
    const page = result.data!.paasAppList;
    expect(page.totalCount).toBe(1);
    expect(page.edges.map((e) => e.node.code)).toEqual(["example"]);
    expect(page.nodes).toEqual([{ code: "example", type: "CLOUD_NATIVE" }]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: page.edges[0].cursor });
    expect(summary).toEqual(["find:paas_applications", "aggregate:paas_applications"]);

    // Past the only app, and with a filter that matches other apps only: nothing, counted right.
    const after = await server.graphql(PaasAppPageDocument, { first: 1, after: page.edges[0].cursor }, bearer(TOKENS.example));
    expect(after.data!.paasAppList).toEqual({ totalCount: 1, edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    const legacy = await server.graphql(PaasAppPageDocument, { filter: { codePrefix: "leg" } }, bearer(TOKENS.example));
    expect(legacy.data!.paasAppList).toEqual({ totalCount: 0, edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("pages through its apps with correct cursors and counts (two of three apps)", async () => {
    const first = await server.graphql(PaasAppPageDocument, { first: 1 }, bearer(TOKENS.two));
    expect(first.data!.paasAppList.totalCount).toBe(2);
    expect(first.data!.paasAppList.nodes.map((n) => n.code)).toEqual(["example"]);
    expect(first.data!.paasAppList.pageInfo.hasNextPage).toBe(true);
    const second = await server.graphql(PaasAppPageDocument, { first: 1, after: first.data!.paasAppList.pageInfo.endCursor }, bearer(TOKENS.two));
    expect(second.data!.paasAppList.nodes.map((n) => n.code)).toEqual(["legacy-app"]);
    expect(second.data!.paasAppList.pageInfo.hasNextPage).toBe(false);
  });

  it("gets null from paasApp for another app, exactly as for an unknown one, without a query", async () => {
    const { result, summary } = await paasCommands(() => rawGraphql(server, PaasAppTreeDocument, { code: "legacy-app" }, bearer(TOKENS.example)));
    expect(summary).toEqual([]);
    expect(result).toEqual(await rawGraphql(server, PaasAppTreeDocument, { code: "nope-app" }, bearer(TOKENS.example)));
    expect(JSON.parse(result.text)).toEqual({ data: { paasApp: null } });
    const own = await server.graphql(PaasAppTreeDocument, { code: "example" }, bearer(TOKENS.example));
    expect(own.data!.paasApp?.modules.map((m) => m.name)).toEqual(["api", "default"]);
  });

  it("gets null from paasApps, in key order, for the codes of other apps", async () => {
    const { result, summary } = await paasCommands(() =>
      server.graphql(PaasAppsByCodesDocument, { codes: ["legacy-app", "example", "nope-app", "no-default", "example"] }, bearer(TOKENS.example)),
    );
    expect(result.data!.paasApps).toEqual([null, { code: "example", name: "Example" }, null, null, { code: "example", name: "Example" }]);
    // One query, for the app in scope only.
    expect(summary).toEqual(["find:paas_applications"]);
  });

  it("gets from paasProcessList of another app exactly the NOT_FOUND of an unknown app, without a query", async () => {
    for (const moduleName of ["default", null]) {
      const variables = { appCode: "legacy-app", moduleName, environment: "PROD" as const };
      const { result, summary } = await paasCommands(() => rawGraphql(server, PaasProcessListDocument, variables, bearer(TOKENS.example)));
      expect(summary).toEqual([]);
      const unknown = await rawGraphql(server, PaasProcessListDocument, { ...variables, appCode: "nope-app" }, bearer(TOKENS.example));
      expect(result).toEqual({ ...unknown, text: unknown.text.replaceAll("nope-app", "legacy-app") });
      expect(JSON.parse(result.text).errors[0]).toMatchObject({ message: 'application "legacy-app" not found', extensions: { code: "NOT_FOUND" } });
    }
  });

  it.each(LIST_PATHS("legacy-app").map((url) => [url]))("gets from REST %s exactly the answer for an unknown app, without a query", async (url) => {
    const { result, summary } = await paasCommands(() => rest(server, url, bearer(TOKENS.example)));
    expect(summary).toEqual([]);
    const unknown = await rest(server, url.replace("legacy-app", "nope-app"), bearer(TOKENS.example));
    expect(result).toEqual({ ...unknown, text: unknown.text.replaceAll("nope-app", "legacy-app") });
    expect(result.status).not.toBe(200);
  });

  it("reads its own app over REST, and navigation from it stays inside the app", async () => {
    expect((await rest(server, LIST_PATHS("example")[0], bearer(TOKENS.example))).status).toBe(200);
    const up = await server.graphql(PaasInstanceUpDocument, { appCode: "example", moduleName: "default", environment: "PROD" }, bearer(TOKENS.example));
    expect(up.errors).toBeUndefined();
    expect(new Set(up.data!.paasProcessList.instances.items.map((i) => i.process?.environment.module.app.code))).toEqual(new Set(["example"]));
  });
});

describe("PaaS access scope: other callers", () => {
  it("answers REST without a token with 401 {code: UNAUTHENTICATED, detail} when anonymous reads are off", async () => {
    const answer = await rest(server, LIST_PATHS("example")[0]);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text)).toEqual({ code: "UNAUTHENTICATED", detail: "authentication required: send Authorization: Bearer <token>" });
    const wrong = await rest(server, LIST_PATHS("example")[0], bearer("not-a-configured-token-at-all"));
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toEqual({ code: "UNAUTHENTICATED", detail: "invalid or revoked token" });
  });

  it("lets a scope-all token see everything", async () => {
    const page = await server.graphql(PaasAppPageDocument, { first: 10 }, bearer(TOKENS.all));
    expect(page.data!.paasAppList.totalCount).toBe(3);
    expect(page.data!.paasAppList.nodes.map((n) => n.code)).toEqual(["example", "legacy-app", "no-default"]);
    const apps = await server.graphql(PaasAppsByCodesDocument, { codes: ["legacy-app", "example"] }, bearer(TOKENS.all));
    expect(apps.data!.paasApps.map((a) => a?.code)).toEqual(["legacy-app", "example"]);
    for (const code of ["example", "legacy-app"]) expect((await rest(server, LIST_PATHS(code)[1], bearer(TOKENS.all))).status).toBe(200);
  });

  it("gives a token without PaaS apps an empty list, without a query", async () => {
    const { result, summary } = await paasCommands(() => server.graphql(PaasAppPageDocument, { first: 5 }, bearer(TOKENS.none)));
    expect(result.data!.paasAppList).toEqual({ totalCount: 0, edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(summary).toEqual([]);
  });

  it("applies ANONYMOUS_SCOPE to requests without a token (GraphQL and REST)", async () => {
    const page = await anonymousServer.graphql(PaasAppPageDocument, { first: 10 });
    expect(page.data!.paasAppList.totalCount).toBe(1);
    expect(page.data!.paasAppList.nodes.map((n) => n.code)).toEqual(["legacy-app"]);
    const apps = await anonymousServer.graphql(PaasAppsByCodesDocument, { codes: ["example", "legacy-app"] });
    expect(apps.data!.paasApps.map((a) => a?.code ?? null)).toEqual([null, "legacy-app"]);
    expect((await rest(anonymousServer, LIST_PATHS("legacy-app")[1])).status).toBe(200);
    const hidden = await rest(anonymousServer, LIST_PATHS("example")[0]);
    const unknown = await rest(anonymousServer, LIST_PATHS("nope-app")[0]);
    expect(hidden).toEqual({ ...unknown, text: unknown.text.replaceAll("nope-app", "example") });
    expect(hidden.status).toBe(404);
  });
});

describe("PaaS access scope: round trips", () => {
  it("costs the dashboard query the same commands with a scoped token as with scope all", async () => {
    const all = await paasCommands(() => server.graphql(PaasDashboardDocument, { first: 10 }, bearer(TOKENS.all)));
    const scoped = await database.recordCommands(() => server.graphql(PaasDashboardDocument, { first: 10 }, bearer(TOKENS.two)));
    expect(scoped.result.data!.paasAppList.nodes.map((n) => n.code)).toEqual(["example", "legacy-app"]);
    expect(scoped.summary).toEqual(all.summary);
    expect(scoped.summary).toEqual(["find:paas_applications", "find:paas_modules", "find:paas_module_envs", "find:paas_processes", "find:paas_modules", "find:paas_instances"]);
    // The scope is a condition of the apps query itself; the children follow from their parents' keys.
    const apps = scoped.commands.find((c) => c.collection === "paas_applications")!;
    expect(apps.command.filter).toEqual({ _id: { $in: ["legacy-app", "example"] } });
  });

  it("costs the processes list of an app in scope the same commands as with scope all", async () => {
    for (const url of LIST_PATHS("example").slice(0, 2)) {
      const all = await paasCommands(() => rest(server, url, bearer(TOKENS.all)));
      const scoped = await paasCommands(() => rest(server, url, bearer(TOKENS.example)));
      expect(scoped.result).toEqual(all.result);
      expect(scoped.summary).toEqual(all.summary);
    }
  });
});
