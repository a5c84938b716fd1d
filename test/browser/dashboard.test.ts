import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { Long } from "mongodb";
import { buildDashboard } from "../../scripts/build-dashboard";
import { CmdbCollection } from "../../src/cmdb/collections";
import { PaasWriter } from "../../src/paas/providers/writer";
import { paasCollection } from "../../src/paas/providers/store";
import type { InstanceDoc, ProcessDoc } from "../../src/paas/collections";
import { PROJECT_ROOT } from "../../src/paths";
import { GraphDashboardSummaryDocument, GraphProcessesOrderedDocument, type ProcessOrder } from "../generated/graphql";
import { tokensFile } from "../helpers/crossModelFixture";
import { describeWithBrowser, launchBrowser } from "../helpers/browser";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const describeBrowser = describeWithBrowser("dashboard browser test");

/** Screenshots for a person to look at (gitignored). */
const ARTIFACTS = path.join(PROJECT_ROOT, "test-artifacts");
/** The page polls every second here (`?poll=1`); a change must show within this (stated in docs/dashboards.md). */
const CHANGE_VISIBLE_MS = 10_000;

const SCOPED = "token-dashboard-scoped-0123456789";
const database = useTestDatabase();
// The demo data, and a token that sees business 2 and the app billing-1 only.
const TOKENS = tokensFile({ "biz2-billing": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["billing-1"] } } });
const server = useTestServer(database, { SEED_DEMO: "true", TOKENS_FILE: TOKENS });
// The same data, without anonymous access.
const closed = useTestServer(database, { ANONYMOUS_SCOPE: "none", TOKENS_FILE: TOKENS });


describeBrowser("the /dashboard page in a real browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    await buildDashboard();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  const summaryOf = async (headers: Record<string, string> = {}) => {
    const result = await server.graphql(GraphDashboardSummaryDocument, undefined, headers);
    expect(result.errors).toBeUndefined();
    return result.data!.dashboardSummary;
  };
  /** Waits until every tile shows the summary's figure. */
  const expectTiles = async (page: Page, summary: Awaited<ReturnType<typeof summaryOf>>, timeout: number) => {
    const expected: Record<string, number> = {
      total: summary.health.total,
      healthy: summary.health.healthy,
      unhealthy: summary.health.unhealthy,
      stopped: summary.health.stopped,
      unknown: summary.health.unknown,
      instances: summary.paasInstanceCount,
      ...Object.fromEntries(summary.instancesByState.map((s) => [`state-${s.key}`, s.count])),
    };
    for (const [name, value] of Object.entries(expected)) {
      await page.getByTestId(`tile-${name}`).locator(".tile-value", { hasText: new RegExp(`^${value.toLocaleString("en-US")}$`) }).waitFor({ timeout });
    }
    return expected;
  };

  it("where only plain HTTP gets through, says POLLING and why, shows the demo's numbers, follows MongoDB writes without a reload, and loads nothing from outside loopback", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // A proxy that passes plain HTTP only: every WebSocket is closed before the server sees it.
    // (Live mode against procgraph's own subscriptions: dashboard-live.test.ts.)
    let webSocketsRefused = 0;
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      webSocketsRefused += 1;
      void socket.close({ code: 1011, reason: "plain HTTP only" });
    });
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));

    const before = await summaryOf();
    const response = await page.goto(`${server.url}/dashboard?poll=1`);
    // The playground's policy: everything from this origin only.
    expect(response!.headers()["content-security-policy"]).toMatch(/^default-src 'self'; script-src 'self';.*connect-src 'self'/);
    await expectTiles(page, before, 60_000);
    // The demo has unhealthy PaaS processes: the table lists them, as many as the tile counts.
    await page.getByTestId("process-count").filter({ hasText: String(before.health.unhealthy) }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("process-row").count()).toBe(Math.min(15, before.health.unhealthy));
    // Without the WebSocket, the page says it polls, and why.
    const connection = page.getByTestId("connection");
    await connection.and(page.locator("[data-mode=polling]")).waitFor({ timeout: 30_000 });
    expect(await connection.innerText()).toMatch(/polling every 1 s\s*this server does not accept live updates/i);
    expect(webSocketsRefused).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-before.png"), fullPage: true });

    // A PaaS instance fails (its process reports one available replica fewer), and a CMDB process is added.
    const writer = new PaasWriter(database.db);
    const healthy = await paasCollection(database.db, "processes").findOne({ $expr: { $and: [{ $gt: ["$replicas", 0] }, { $gte: ["$success", "$replicas"] }] } });
    expect(healthy).not.toBeNull();
    const paasProcess = healthy as unknown as ProcessDoc;
    const instance = (await paasCollection(database.db, "instances").findOne({ env_id: paasProcess.env_id, process_type: paasProcess.type, state: "Running", ready: true })) as unknown as InstanceDoc | null;
    expect(instance).not.toBeNull();
    const { _id: _instanceId, ...instanceFields } = instance!;
    await writer.upsertInstance({ ...instanceFields, state: "Failed", ready: false, state_message: "OOMKilled", rich_status: "Failed" });
    const { _id: _processId, ...processFields } = paasProcess;
    await writer.upsertProcess({ ...processFields, success: paasProcess.replicas - 1 });
    const cmdbProcesses = database.db.collection(CmdbCollection.process);
    const template = await cmdbProcesses.findOne({ bk_biz_id: Long.fromNumber(2) }, { projection: { _id: 0 } });
    const nextId = Number((await cmdbProcesses.find({}).sort({ bk_process_id: -1 }).limit(1).next())!.bk_process_id) + 1;
    await cmdbProcesses.insertOne({ ...template, bk_process_id: Long.fromNumber(nextId), bk_process_name: "dashboard-test-added", bk_func_name: "dashboard-test-added" });
    const writtenAt = Date.now();

    const after = await summaryOf();
    expect(after.health.total).toBe(before.health.total + 1);
    expect(after.health.unhealthy).toBe(before.health.unhealthy + 1);
    expect(after.health.unknown).toBe(before.health.unknown + 1);
    await expectTiles(page, after, CHANGE_VISIBLE_MS);
    await page.getByTestId("process-table").getByText(paasProcess.name, { exact: true }).waitFor({ timeout: CHANGE_VISIBLE_MS });
    await page.getByTestId("process-count").filter({ hasText: String(after.health.unhealthy) }).waitFor({ timeout: CHANGE_VISIBLE_MS });
    const shownAfterMs = Date.now() - writtenAt;
    process.stdout.write(`dashboard showed the writes ${shownAfterMs} ms after them (polling every 1 s)\n`);
    expect(shownAfterMs).toBeLessThan(CHANGE_VISIBLE_MS);
    expect(await page.evaluate(() => (globalThis as unknown as { performance: { getEntriesByType(type: string): unknown[] } }).performance.getEntriesByType("navigation").length)).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-after-writes.png"), fullPage: true });

    // A business's health bar opens the table on all of that business's processes (both models).
    const ofBusiness = await server.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ processes(filter: { cmdbBusinessId: 2 }, first: 1) { totalCount } }" }),
    });
    const businessTotal = ((await ofBusiness.json()) as { data: { processes: { totalCount: number } } }).data.processes.totalCount;
    await page.getByTestId("bar-biz-2").click();
    await page.getByTestId("owner-filter").waitFor({ timeout: CHANGE_VISIBLE_MS });
    await page.getByTestId("process-count").filter({ hasText: new RegExp(`^${businessTotal.toLocaleString("en-US")}$`) }).waitFor({ timeout: CHANGE_VISIBLE_MS });

    const hosts = new Set(requested.filter((url) => !url.startsWith("data:") && !url.startsWith("blob:")).map((url) => new URL(url).hostname));
    expect([...hosts]).toEqual(["127.0.0.1"]);
    expect(await connection.getAttribute("data-mode")).toBe("polling");
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 240_000);

  it("sorts the process table on the server: a header click orders every page, not only the one shown", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    /** The server's first `count` names in this order, over all processes. */
    const namesInOrder = async (orderBy: ProcessOrder, count: number) => {
      const result = await server.graphql(GraphProcessesOrderedDocument, { orderBy, first: count });
      expect(result.errors).toBeUndefined();
      return result.data!.processes.nodes.map((n) => n.name);
    };
    const shownNames = () => page.getByTestId("process-row").locator("td.name").allInnerTexts();
    /** Waits until the table shows exactly these names, in this order (the table's page is 15 rows). */
    const expectRows = async (names: string[]) => {
      const deadline = Date.now() + CHANGE_VISIBLE_MS;
      let shown = await shownNames();
      while (JSON.stringify(shown) !== JSON.stringify(names) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        shown = await shownNames();
      }
      expect(shown).toEqual(names);
    };
    await page.goto(`${server.url}/dashboard?poll=300#processes?health=ALL`);
    await page.getByTestId("process-count").waitFor({ timeout: 60_000 });
    // By default: health, worst first, across all processes.
    await expectRows((await namesInOrder({ field: "HEALTH", direction: "ASC" }, 15)));

    await page.getByTestId("sort-NAME").getByRole("button").click();
    const byName = await namesInOrder({ field: "NAME", direction: "ASC" }, 45);
    await expectRows(byName.slice(0, 15));
    expect(await page.getByTestId("sort-NAME").getAttribute("aria-sort")).toBe("ascending");
    // The next pages continue the same order: nothing repeated, nothing skipped.
    await page.locator("#processes").getByTestId("next-page").click();
    await expectRows(byName.slice(15, 30));
    await page.locator("#processes").getByTestId("next-page").click();
    await expectRows(byName.slice(30, 45));
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-sorted.png"), fullPage: true });

    // A second click reverses the order, from the first page.
    await page.getByTestId("sort-NAME").getByRole("button").click();
    await expectRows((await namesInOrder({ field: "NAME", direction: "DESC" }, 15)));
    expect(await page.getByTestId("sort-NAME").getAttribute("aria-sort")).toBe("descending");
    await page.getByTestId("sort-AVAILABLE").getByRole("button").click();
    await expectRows((await namesInOrder({ field: "AVAILABLE", direction: "ASC" }, 15)));
    await page.close();
  }, 180_000);

  it("with a scoped token in the token box, shows only that scope's numbers", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const everything = await summaryOf();
    const scoped = await summaryOf({ authorization: `Bearer ${SCOPED}` });
    expect(scoped.health.total).toBeLessThan(everything.health.total);
    await page.goto(`${server.url}/dashboard?poll=1`);
    await expectTiles(page, everything, 60_000);
    await page.getByTestId("token").fill(SCOPED);
    await page.getByRole("button", { name: "Use" }).click();
    await expectTiles(page, scoped, 30_000);
    await page.getByTestId("scope").filter({ hasText: "biz2-billing · businesses 2 · apps billing-1" }).waitFor({ timeout: 30_000 });
    // Bars and table rows stay within the scope.
    const appBars = await page.getByTestId("app-bars").locator(".bar-label").allInnerTexts();
    expect(appBars).toEqual(scoped.byApp.map((a) => a.key));
    const businessBars = await page.getByTestId("business-bars").locator(".bar-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-testid")));
    expect(businessBars.sort()).toEqual(scoped.byBusiness.map((b) => `bar-biz-${b.key}`).sort());
    // The table comes from a request of its own, which can answer after the tiles: wait for its rows.
    await page.waitForFunction(
      () => {
        const { document } = globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> } };
        const owners = Array.from(document.querySelectorAll('[data-testid="process-row"] td:nth-child(4)'), (cell) => cell.textContent ?? "");
        return owners.length > 0 && owners.every((owner) => owner.startsWith("billing-1 · "));
      },
      undefined,
      { timeout: 30_000 },
    );
    const owners = await page.getByTestId("process-row").locator("td:nth-child(4)").allInnerTexts();
    for (const owner of owners) expect(owner).toMatch(/^billing-1 · /);
    // The token stays in this tab's sessionStorage, nowhere else.
    expect(await page.evaluate(() => {
      const w = globalThis as unknown as { sessionStorage: { getItem(key: string): string | null }; localStorage: { length: number }; document: { cookie: string } };
      return [w.sessionStorage.getItem("procgraph.dashboard.token"), w.localStorage.length, w.document.cookie];
    })).toEqual([SCOPED, 0, ""]);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-scoped.png"), fullPage: true });
    await page.close();
  }, 180_000);

  it("without anonymous access, asks for a token and shows the token's scope once given", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${closed.url}/dashboard?poll=1`);
    await page.getByTestId("error").filter({ hasText: /\(UNAUTHENTICATED\): enter a token above/ }).waitFor({ timeout: 60_000 });
    await page.getByTestId("token").fill(SCOPED);
    await page.getByRole("button", { name: "Use" }).click();
    const scoped = await summaryOf({ authorization: `Bearer ${SCOPED}` });
    await expectTiles(page, scoped, 30_000);
    await page.getByTestId("error").waitFor({ state: "hidden", timeout: 30_000 });
    await page.close();
  }, 180_000);
});
