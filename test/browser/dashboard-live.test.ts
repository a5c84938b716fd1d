import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { Long } from "mongodb";
import type { Browser, Page } from "playwright-core";
import { buildDashboard } from "../../scripts/build-dashboard";
import { CmdbCollection } from "../../src/cmdb/collections";
import type { ProcessDoc } from "../../src/paas/collections";
import { paasCollection } from "../../src/paas/providers/store";
import { PaasWriter } from "../../src/paas/providers/writer";
import { PROJECT_ROOT } from "../../src/paths";
import { GraphDashboardSummaryDocument } from "../generated/graphql";
import { tokensFile } from "../helpers/crossModelFixture";
import { describeWithBrowser, launchBrowser } from "../helpers/browser";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

/*
 * The page's live mode end to end (docs/dashboards.md, "Live updates and polling"): a MongoDB write
 * goes through procgraph's own change stream and its graphql-ws subscriptions (dashboardSummaryUpdates,
 * processEvents) to the page, with polling switched off (`?poll=300`), so whatever changes on the page
 * within the test came over the WebSocket. The page talks to procgraph through a byte relay on
 * loopback, which passes everything through unchanged; the test cuts its connections to drop the
 * WebSocket the way a network does.
 */

const describeBrowser = describeWithBrowser("dashboard live test");

const ARTIFACTS = path.join(PROJECT_ROOT, "test-artifacts");
/** A write must show on the page within this (stated in docs/dashboards.md). */
const CHANGE_VISIBLE_MS = 10_000;
const SCOPED = "token-dashboard-live-scoped-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, {
  SEED_DEMO: "true",
  TOKENS_FILE: tokensFile({ "biz2-billing": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["billing-1"] } } }),
});

/** A TCP relay to procgraph on loopback whose connections the test can cut. */
async function startRelay(target: URL): Promise<{ url: string; cut(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port), target.hostname);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on("close", () => outbound.destroy());
    outbound.on("close", () => inbound.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(relay.address() as net.AddressInfo).port}`,
    cut() {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      return count;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
    },
  };
}

describeBrowser("the /dashboard page's live mode against procgraph's own subscriptions", () => {
  let browser: Browser;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  beforeAll(async () => {
    await buildDashboard();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    relay = await startRelay(new URL(server.url));
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.close();
  });

  const summaryOf = async (headers: Record<string, string> = {}) => {
    const result = await server.graphql(GraphDashboardSummaryDocument, undefined, headers);
    expect(result.errors).toBeUndefined();
    return result.data!.dashboardSummary;
  };
  const tileShows = (page: Page, name: string, value: number, timeout: number) =>
    page.getByTestId(`tile-${name}`).locator(".tile-value", { hasText: new RegExp(`^${value.toLocaleString("en-US")}$`) }).waitFor({ timeout });
  /** A PaaS process (of `app`, if given) that has every replica available. */
  const healthyPaasProcess = async (app?: string) => {
    const found = await paasCollection(database.db, "processes").findOne({
      ...(app ? { _id: { $regex: `^${app}/` } } : {}),
      $expr: { $and: [{ $gt: ["$replicas", 0] }, { $gte: ["$success", "$replicas"] }] },
    } as never);
    expect(found).not.toBeNull();
    return found as unknown as ProcessDoc;
  };
  /** The process reports one available replica fewer: it turns UNHEALTHY. */
  const loseReplica = async (process: ProcessDoc) => {
    const { _id: _ignored, ...fields } = process;
    await new PaasWriter(database.db).upsertProcess({ ...fields, success: process.replicas - 1 });
  };

  it("goes LIVE and shows MongoDB writes through the change stream and subscriptions, without polling or reload", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const requested: string[] = [];
    const posts: number[] = [];
    page.on("request", (request) => {
      requested.push(request.url());
      if (request.method() === "POST" && request.url().endsWith("/graphql")) posts.push(Date.now());
    });
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));

    // Polling every 5 minutes: within this test, only the subscriptions move the page.
    const openedAt = Date.now();
    await page.goto(`${relay.url}/dashboard?poll=300`);
    const connection = page.getByTestId("connection");
    await connection.and(page.locator("[data-mode=live]")).waitFor({ timeout: 60_000 });
    process.stdout.write(`live: the page was LIVE ${Date.now() - openedAt} ms after it was opened\n`);
    expect(await connection.innerText()).toMatch(/^live$/i);
    const before = await summaryOf();
    await tileShows(page, "unhealthy", before.health.unhealthy, 30_000);
    await tileShows(page, "total", before.health.total, 30_000);

    // A PaaS process loses an available replica; a CMDB process is added.
    const paasProcess = await healthyPaasProcess();
    await loseReplica(paasProcess);
    const cmdbProcesses = database.db.collection(CmdbCollection.process);
    const template = await cmdbProcesses.findOne({ bk_biz_id: Long.fromNumber(2) }, { projection: { _id: 0 } });
    const nextId = Number((await cmdbProcesses.find({}).sort({ bk_process_id: -1 }).limit(1).next())!.bk_process_id) + 1;
    await cmdbProcesses.insertOne({ ...template, bk_process_id: Long.fromNumber(nextId), bk_process_name: "live-test-added", bk_func_name: "live-test-added" });
    const writtenAt = Date.now();
    const after = await summaryOf();
    expect(after.health.unhealthy).toBe(before.health.unhealthy + 1);
    expect(after.health.total).toBe(before.health.total + 1);

    await tileShows(page, "unhealthy", after.health.unhealthy, CHANGE_VISIBLE_MS);
    await tileShows(page, "total", after.health.total, CHANGE_VISIBLE_MS);
    await tileShows(page, "unknown", after.health.unknown, CHANGE_VISIBLE_MS);
    const tilesAfterMs = Date.now() - writtenAt;
    // The process event re-reads the table: the newly unhealthy process is listed, and counted.
    await page.getByTestId("process-table").getByText(paasProcess.name, { exact: true }).first().waitFor({ timeout: CHANGE_VISIBLE_MS });
    await page.getByTestId("process-count").filter({ hasText: new RegExp(`^${after.health.unhealthy}$`) }).waitFor({ timeout: CHANGE_VISIBLE_MS });
    const tableAfterMs = Date.now() - writtenAt;
    process.stdout.write(`live: tiles showed the writes ${tilesAfterMs} ms after them, the table ${tableAfterMs} ms\n`);
    expect(tableAfterMs).toBeLessThan(CHANGE_VISIBLE_MS);
    // Still live, never polled, never reloaded: the only POSTs after the write are the table and host re-reads.
    expect(await connection.getAttribute("data-mode")).toBe("live");
    const postsAfterWrite = posts.filter((t) => t >= writtenAt).length;
    expect(postsAfterWrite).toBeGreaterThanOrEqual(1);
    expect(postsAfterWrite).toBeLessThanOrEqual(4);
    expect(await page.evaluate(() => (globalThis as unknown as { performance: { getEntriesByType(type: string): unknown[] } }).performance.getEntriesByType("navigation").length)).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-live.png"), fullPage: true });

    // The network drops the WebSocket: the page says so, reconnects, and is live again.
    expect(relay.cut()).toBeGreaterThan(0);
    await connection.and(page.locator("[data-mode=reconnecting]")).waitFor({ timeout: 10_000 });
    await connection.and(page.locator("[data-mode=live]")).waitFor({ timeout: 30_000 });

    // A typed token goes in connectionParams: the live numbers are then the scope's, and a write in
    // the scope reaches the page over the scoped subscription.
    await page.getByTestId("token").fill(SCOPED);
    await page.getByRole("button", { name: "Use" }).click();
    const scopedBefore = await summaryOf({ authorization: `Bearer ${SCOPED}` });
    await tileShows(page, "total", scopedBefore.health.total, CHANGE_VISIBLE_MS);
    await connection.and(page.locator("[data-mode=live]")).waitFor({ timeout: 30_000 });
    const inScope = await healthyPaasProcess("billing-1");
    await loseReplica(inScope);
    const scopedAfter = await summaryOf({ authorization: `Bearer ${SCOPED}` });
    expect(scopedAfter.health.unhealthy).toBe(scopedBefore.health.unhealthy + 1);
    await tileShows(page, "unhealthy", scopedAfter.health.unhealthy, CHANGE_VISIBLE_MS);
    // Process names repeat across environments (billing-1--web in stag and prod): one row is enough.
    await page.getByTestId("process-table").getByText(inScope.name, { exact: true }).first().waitFor({ timeout: CHANGE_VISIBLE_MS });
    await tileShows(page, "total", scopedAfter.health.total, CHANGE_VISIBLE_MS);
    expect(await connection.getAttribute("data-mode")).toBe("live");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-live-scoped.png"), fullPage: true });

    const hosts = new Set(requested.map((url) => new URL(url).hostname));
    expect([...hosts]).toEqual(["127.0.0.1"]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 240_000);
});
