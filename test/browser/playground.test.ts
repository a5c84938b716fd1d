import type { Browser } from "playwright-core";
import { describeWithBrowser, launchBrowser } from "../helpers/browser";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const describeBrowser = describeWithBrowser("browser test");

const database = useTestDatabase();
const server = useTestServer(database);

describeBrowser("the GraphiQL playground in a real browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("runs the welcome query and shows its result, with no request leaving the loopback address", async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });

    // Answers are held back a second, as on a loaded CI machine, so the wait below is tested against
    // a slow answer and not only one that arrives before the first poll.
    await page.route("**/graphql", async (route) => {
      if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await page.goto(`${server.url}/graphql`);
    const runButton = page.locator(".graphiql-execute-button");
    await runButton.waitFor({ state: "visible", timeout: 60_000 });
    // The editor holds the welcome query once the page has loaded it.
    // (CodeMirror renders only the visible lines: look for one near the top.)
    await page.locator(".graphiql-query-editor").getByText("viewer").first().waitFor({ timeout: 60_000 });
    await runButton.click();

    // A locator, not waitForFunction: a string predicate is re-run with eval() from the page's own
    // polling once the answer is slow, and the playground's CSP (script-src 'self') forbids eval.
    const result = page.locator(".graphiql-response", { hasText: "paasAppList" });
    await result.waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    // The welcome query spans the server, the caller and both models (the test database is empty).
    expect(text).toContain('"principal": "anonymous"');
    expect(text).toContain('"cmdbBusinessList"');
    expect(text).toContain('"paasAppList"');
    expect(text).not.toContain('"errors"');

    expect(requested.length).toBeGreaterThanOrEqual(6);
    const hosts = new Set(requested.filter((url) => !url.startsWith("data:") && !url.startsWith("blob:")).map((url) => new URL(url).hostname));
    expect([...hosts]).toEqual(["127.0.0.1"]);
    expect(requested.some((url) => url.endsWith("/graphql"))).toBe(true);
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
    await page.close();
    // Generous: on a loaded 2-core CI machine Chromium's first paint can take many seconds.
  }, 180_000);

  it("runs a subscription over graphql-ws and shows a write as it happens", async () => {
    const page = await browser.newPage();
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    // The editor starts with this document (GraphiQL keeps the last query in localStorage).
    await page.addInitScript({ content: 'localStorage.setItem("graphiql:query", "subscription Live { processEvents { type process { name } } }");' });
    await page.goto(`${server.url}/graphql`);
    const runButton = page.locator(".graphiql-execute-button");
    await runButton.waitFor({ state: "visible", timeout: 60_000 });
    await page.locator(".graphiql-query-editor").getByText("processEvents").first().waitFor({ timeout: 60_000 });
    await runButton.click();
    // The subscription is open once the server counts it.
    const { waitActive } = await import("../helpers/liveClients");
    await waitActive(server.url, 1, 60_000);
    await database.db.collection("cc_Process").insertOne({ bk_process_id: 4242, bk_biz_id: 2, bk_process_name: "seen-in-the-browser", bk_supplier_account: "0" });
    const result = page.locator(".graphiql-response", { hasText: "seen-in-the-browser" });
    await result.waitFor({ timeout: 60_000 });
    expect(await result.innerText()).toContain('"type": "ADDED"');
    expect(sockets).toEqual([`${server.url.replace("http", "ws")}/graphql`]);
    await page.close();
  }, 180_000);
});
