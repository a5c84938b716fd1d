import fs from "node:fs";
import path from "node:path";
import { takeHealthSample } from "../../src/crossmodel/providers/healthHistory";
import { PROJECT_ROOT } from "../../src/paths";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertGraphFixture } from "../helpers/crossModelFixture";

/*
 * The Grafana queries of docs/dashboards.md, run as each data source sends them, and their answers
 * read the way each parses them: Infinity's root selector from the top of the response, the Wild
 * GraphQL data source's data path from `data`, columns (dotted for nested fields) on every row, and
 * the time field ISO-8601. The claims are the `grafana-check` comments before each block.
 */
const DOC = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "dashboards.md"), "utf8");
const checks = [...DOC.matchAll(/<!-- grafana-check: (.*?) -->\n```graphql\n([\s\S]*?)```/g)].map((match) => {
  const claims = Object.fromEntries(match[1].split(" ").map((pair) => pair.split("=") as [string, string]));
  return { plugin: claims.plugin as "infinity" | "wild", rows: claims.rows, columns: claims.columns.split(","), time: claims.time as string | undefined, query: match[2] };
});

const database = useTestDatabase();
const server = useTestServer(database);
const MINUTE = 60_000;
const now = Date.now();
const from = now - 30 * MINUTE;

beforeAll(async () => {
  await insertGraphFixture(database.db);
  // Two samples in the last half hour, as the sampler would have taken them.
  const deps = server.running.deps;
  const sampling = { ...deps, config: { ...deps.config, healthHistory: { intervalMs: MINUTE, retentionMs: 3_600_000 } } };
  await takeHealthSample(sampling, now - 20 * MINUTE);
  await takeHealthSample(sampling, now - 10 * MINUTE);
});

/** A dot-delimited path into a JSON value. */
const at = (value: unknown, dotted: string): unknown => dotted.split(".").reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);

describe("the Grafana queries of docs/dashboards.md", () => {
  it("covers a stat panel, a table and a time series for both data sources", () => {
    expect(checks.map((c) => `${c.plugin}:${c.time ? "time series" : c.rows}`)).toEqual([
      "infinity:data.dashboardSummary.health",
      "infinity:data.processes.nodes",
      "infinity:time series",
      "wild:dashboardSummary.health",
      "wild:processes.nodes",
      "wild:time series",
    ]);
  });

  it.each(checks.map((c, i) => [`${i + 1} (${c.plugin}, ${c.rows})`, c]))("query %s answers rows with the documented columns", async (_name, check) => {
    let query = check.query;
    let variables: Record<string, unknown> = {};
    if (check.plugin === "infinity") {
      // Grafana replaces its variables in the query text before Infinity sends it.
      query = query.replace("${__from:date:iso}", new Date(from).toISOString()).replace("${__to:date:iso}", new Date(now).toISOString());
    } else {
      // The Wild GraphQL data source's provided variables: epoch milliseconds, and a few more.
      variables = { from, to: now, interval_ms: 20_000, maxDataPoints: 1_000, refId: "A" };
    }
    const response = await server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    const found = check.plugin === "infinity" ? at(body, check.rows) : at(body.data, check.rows);
    expect(found).toBeDefined();
    const rows = (Array.isArray(found) ? found : [found]) as unknown[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const column of check.columns) expect({ column, present: at(row, column) !== undefined }).toEqual({ column, present: true });
      if (check.time) {
        const time = at(row, check.time);
        expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(Date.parse(time as string)).toBeGreaterThanOrEqual(from - 10 * MINUTE);
      }
    }
    if (check.time) {
      // One point per sample (and per app), in time order.
      const times = rows.map((row) => at(row, check.time!) as string);
      expect([...times].sort()).toEqual(times);
      expect(new Set(times).size).toBe(2);
    }
  });
});
