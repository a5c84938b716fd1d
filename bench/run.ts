import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_VERSION, PROJECT_ROOT } from "../src/paths";
import { seedPaas } from "../src/paas/seed/command";
import { ensureDataset, openBenchDatabase, type Dataset } from "./lib/db";
import { loadOperation } from "./lib/operations";
import { machineInfo, renderConsole, renderMarkdown, type BenchRow } from "./lib/report";
import { startProcgraphChild } from "./lib/server";
import { roundTripSection } from "./sections/roundtrips";
import { concurrencySection, memorySection, throughputSection } from "./sections/throughput";

/**
 * `npm run bench [-- --quick] [-- --no-write]`: seeds its datasets (reused across runs), measures,
 * prints a table and writes BENCHMARKS.md. Runs against MONGODB_URI when set.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const write = !process.argv.includes("--no-write");
  const timing = quick ? { rounds: 3, seconds: 2 } : { rounds: 5, seconds: 5 };
  const rows: BenchRow[] = [];
  const datasets: string[] = [];

  const bench = await openBenchDatabase();
  try {
    const paas: Dataset = { name: "bench_paas_50", spec: { model: "paas", apps: 50, seed: 7, maxModules: 3 }, seed: (deps) => seedPaas(deps, { apps: 50, seed: 7, maxModules: 3, drop: true }) };
    const paasData = await ensureDataset(bench, paas);
    datasets.push(`PaaS: 50 apps (seed 7, up to 3 modules each)${paasData.reused ? ", reused" : `, seeded in ${paasData.seededSeconds.toFixed(1)} s`}`);

    // The same operation the round-trip tests use (test/operations/paas/navigation.graphql).
    const paasDashboard = loadOperation("paas/navigation.graphql", "PaasDashboard");
    rows.push(...(await roundTripSection(bench.client, paasData.db, "PaaS dashboard (apps → instances)", paasDashboard, [10, 50].map((n) => ({ label: `${n} apps`, variables: { first: n } })))));

    const server = await startProcgraphChild(bench.uri, paas.name);
    try {
      rows.push(...(await throughputSection(server, timing)));
      rows.push(...(await concurrencySection(server, "PaaS dashboard, 50 apps", paasDashboard, { first: 50 }, timing.seconds)));
      rows.push(...(await memorySection(server, "the PaaS dashboard, 50 apps", paasDashboard, { first: 50 }, timing.seconds * 2)));
    } finally {
      await server.stop();
    }

    process.stdout.write(`\n${renderConsole(rows)}\n`);
    if (write) {
      const info = machineInfo({ procgraph: PACKAGE_VERSION, database: `${bench.description}, server version ${bench.serverVersion}`, mode: quick ? "quick (--quick)" : "full" });
      fs.writeFileSync(path.join(PROJECT_ROOT, "BENCHMARKS.md"), renderMarkdown(rows, info, datasets));
      process.stdout.write("\nwrote BENCHMARKS.md\n");
    }
  } finally {
    await bench.close();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
