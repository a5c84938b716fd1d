import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { Long } from "mongodb";
import type { Browser } from "playwright-core";
import { WebSocketServer } from "ws";
import { buildDashboard } from "../../scripts/build-dashboard";
import { CmdbCollection } from "../../src/cmdb/collections";
import { PROJECT_ROOT } from "../../src/paths";
import { GraphDashboardSummaryDocument } from "../generated/graphql";
import { tokensFile } from "../graph/fixture";
import { describeWithBrowser, launchBrowser } from "../helpers/browser";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

/*
 * The page's live mode against the live-updates contract (docs/dashboards.md, "Live updates and
 * polling"): graphql-ws on ws://<host>/graphql, the token in connectionParams, the
 * dashboardSummaryUpdates and processEvents subscriptions. Until procgraph serves them itself, a real
 * graphql-ws server (the `ws` package) speaks the contract in front of a real procgraph: it forwards
 * every HTTP request to procgraph and answers the subscriptions from procgraph's own answers, with the
 * caller's token, whenever they change.
 */

// graphql-ws publishes `use/ws` through package exports only, which this project's module resolution
// ("node") does not read for types: the types come from the file the export points at.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require("graphql-ws/use/ws") as typeof import("graphql-ws/dist/use/ws");

const describeBrowser = describeWithBrowser("dashboard live test");

const ARTIFACTS = path.join(PROJECT_ROOT, "test-artifacts");
const CHANGE_VISIBLE_MS = 10_000;
const SCOPED = "token-dashboard-live-scoped-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, {
  SEED_DEMO: "true",
  TOKENS_FILE: tokensFile({ "biz2-billing": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["billing-1"] } } }),
});

const CONTRACT_SDL = `
  enum ChangeType { ADDED MODIFIED DELETED }
  type ProcessEvent { type: ChangeType!  cursor: String!  id: ID!  process: Process }
  type Subscription {
    processEvents(filter: ProcessFilter, after: String): ProcessEvent!
    dashboardSummaryUpdates: DashboardSummary!
  }
  extend schema { subscription: Subscription }
`;
const HEALTH = "{ total healthy unhealthy stopped unknown }";
const SUMMARY_QUERY = `{ dashboardSummary { health ${HEALTH} cmdbProcessCount paasProcessCount paasInstanceCount instancesByState { key label count } instancesByEnvironment { key label count } byApp { key health ${HEALTH} } byBusiness { key health ${HEALTH} } } }`;
const UNHEALTHY_QUERY = "{ processes(filter: { health: UNHEALTHY }, first: 100) { nodes { id } } }";

interface LiveContext {
  authorization?: string;
}

describeBrowser("the /dashboard page's live mode (graphql-ws, the live-updates contract)", () => {
  let browser: Browser;
  let front: http.Server;
  let frontUrl = "";
  let sockets: WebSocketServer;
  const connectionParams: Array<Record<string, unknown> | undefined> = [];

  /** procgraph's answer to a query, with the subscriber's token. */
  const ask = async (query: string, context: LiveContext) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(context.authorization ? { authorization: context.authorization } : {}) },
      body: JSON.stringify({ query }),
    });
    return ((await response.json()) as { data: Record<string, unknown> }).data;
  };
  /** Yields `read()` at once and then whenever it changes (polled every 200 ms), until the subscriber leaves. */
  async function* changes<T>(read: () => Promise<T>): AsyncGenerator<T> {
    let last = "";
    for (;;) {
      const value = await read();
      const text = JSON.stringify(value);
      if (text !== last) {
        last = text;
        yield value;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    await buildDashboard();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const schema = makeExecutableSchema<LiveContext>({
      typeDefs: [fs.readFileSync(path.join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8"), CONTRACT_SDL],
      resolvers: {
        Subscription: {
          dashboardSummaryUpdates: {
            subscribe: (_root: unknown, _args: unknown, context: LiveContext) => changes(async () => ({ dashboardSummaryUpdates: (await ask(SUMMARY_QUERY, context)).dashboardSummary })),
          },
          processEvents: {
            subscribe: async function* (_root: unknown, _args: unknown, context: LiveContext) {
              let seen: Set<string> | undefined;
              for await (const ids of changes(async () => ((await ask(UNHEALTHY_QUERY, context)).processes as { nodes: Array<{ id: string }> }).nodes.map((n) => n.id))) {
                const now = new Set(ids);
                if (seen) for (const id of ids) if (!seen.has(id)) yield { processEvents: { type: "MODIFIED", cursor: String(Date.now()), id, process: null } };
                seen = now;
              }
            },
          },
        },
      },
    });
    // Every HTTP request goes on to procgraph as it is.
    front = http.createServer((req, res) => {
      const target = new URL(req.url ?? "/", server.url);
      const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    sockets = new WebSocketServer({ server: front, path: "/graphql" });
    useServer<Record<string, unknown> | undefined>(
      {
        schema,
        onConnect: (ctx) => {
          connectionParams.push(ctx.connectionParams);
        },
        context: (ctx): LiveContext => ({ authorization: typeof ctx.connectionParams?.authorization === "string" ? ctx.connectionParams.authorization : undefined }),
      },
      sockets,
    );
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    for (const client of sockets?.clients ?? []) client.terminate();
    await new Promise((resolve) => sockets?.close(resolve));
    front?.closeAllConnections();
    await new Promise((resolve) => front?.close(resolve));
  });

  it("goes live, follows writes from the subscriptions alone, shows reconnecting when the socket drops, and sends the token in connectionParams", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const posts: number[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/graphql")) posts.push(Date.now());
    });
    const consoleErrors: string[] = [];
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    // Polling every 5 minutes: whatever changes on the page within the test came over the WebSocket.
    await page.goto(`${frontUrl}/dashboard?poll=300`);
    const connection = page.getByTestId("connection");
    await connection.and(page.locator("[data-mode=live]")).waitFor({ timeout: 60_000 });
    expect(await connection.innerText()).toMatch(/^live$/i);
    expect(connectionParams).toEqual([{}]);
    const unhealthy = page.getByTestId("tile-unhealthy").locator(".tile-value");
    const before = (await server.graphql(GraphDashboardSummaryDocument)).data!.dashboardSummary;
    await unhealthy.filter({ hasText: new RegExp(`^${before.health.unhealthy}$`) }).waitFor({ timeout: 30_000 });

    // A PaaS process loses an available replica; a CMDB process is added.
    const processes = database.db.collection("paas_processes");
    const healthy = await processes.findOne({ $expr: { $and: [{ $gt: ["$replicas", 0] }, { $gte: ["$success", "$replicas"] }] } });
    await processes.updateOne({ _id: healthy!._id }, { $set: { success: (healthy!.replicas as number) - 1 } });
    const cmdb = database.db.collection(CmdbCollection.process);
    const template = await cmdb.findOne({ bk_biz_id: Long.fromNumber(2) }, { projection: { _id: 0 } });
    await cmdb.insertOne({ ...template, bk_process_id: Long.fromNumber(999_001), bk_process_name: "live-test-added", bk_func_name: "live-test-added" });
    const writtenAt = Date.now();
    const after = (await server.graphql(GraphDashboardSummaryDocument)).data!.dashboardSummary;
    expect(after.health.unhealthy).toBe(before.health.unhealthy + 1);
    await unhealthy.filter({ hasText: new RegExp(`^${after.health.unhealthy}$`) }).waitFor({ timeout: CHANGE_VISIBLE_MS });
    await page.getByTestId("tile-total").locator(".tile-value", { hasText: new RegExp(`^${after.health.total}$`) }).waitFor({ timeout: CHANGE_VISIBLE_MS });
    // The process event re-reads the table (the only POSTs after the first load).
    await page.getByTestId("process-table").getByText(String(healthy!.name), { exact: true }).waitFor({ timeout: CHANGE_VISIBLE_MS });
    process.stdout.write(`live: the dashboard showed the writes ${Date.now() - writtenAt} ms after them\n`);
    const postsAfterWrite = posts.filter((t) => t >= writtenAt).length;
    expect(postsAfterWrite).toBeGreaterThanOrEqual(1);
    expect(postsAfterWrite).toBeLessThanOrEqual(4);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-live.png"), fullPage: true });

    // The server drops every socket: the page says so, reconnects, and is live again.
    for (const client of sockets.clients) client.terminate();
    await connection.and(page.locator("[data-mode=reconnecting]")).waitFor({ timeout: 10_000 });
    await connection.and(page.locator("[data-mode=live]")).waitFor({ timeout: 20_000 });

    // A token typed into the box goes in connectionParams, and the live numbers are the scope's.
    await page.getByTestId("token").fill(SCOPED);
    const connectionsBefore = connectionParams.length;
    await page.getByRole("button", { name: "Use" }).click();
    const deadline = Date.now() + 20_000;
    while (connectionParams.length === connectionsBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connectionParams.slice(connectionsBefore)).toEqual([{ authorization: `Bearer ${SCOPED}` }]);
    await connection.and(page.locator("[data-mode=live]")).waitFor({ timeout: 20_000 });
    const scoped = (await server.graphql(GraphDashboardSummaryDocument, undefined, { authorization: `Bearer ${SCOPED}` })).data!.dashboardSummary;
    await page.getByTestId("tile-total").locator(".tile-value", { hasText: new RegExp(`^${scoped.health.total}$`) }).waitFor({ timeout: CHANGE_VISIBLE_MS });
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 240_000);
});
