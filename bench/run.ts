import "reflect-metadata";
import type { Db } from "mongodb";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_VERSION, PROJECT_ROOT } from "../src/paths";
import { ensureCmdbIndexes } from "../src/cmdb/indexes";
import { seedCmdb } from "../src/cmdb/seed/command";
import { seedPaas } from "../src/paas/seed/command";
import { ensureDataset, openBenchDatabase, type Dataset, type DatasetState } from "./lib/db";
import { loadOperation } from "./lib/operations";
import { machineInfo, renderConsole, renderMarkdown, type BenchRow } from "./lib/report";
import { postRelatedInfo, startProcgraphChild } from "./lib/server";
import { cmdbFloorSection, cmdbRestVsGraphQLSection, cmdbScaleSection } from "./sections/cmdb";
import { chaosSection } from "./sections/chaos";
import { cpuSection, graphqlSide, jsonFloorSide, type CpuSide } from "./sections/cpu";
import { cmdbFloorPage } from "./sections/cmdbFloor";
import { paasFloorDashboard } from "./sections/paasFloor";
import { restFloorRelatedInfo } from "./sections/restFloor";
import { roundTripSection } from "./sections/roundtrips";
import { syncSection } from "./sections/sync";
import { concurrencySection, memorySection, throughputSection } from "./sections/throughput";
import { liveSection } from "./sections/live";

const SECTIONS = ["roundtrips", "latency", "cpu", "rest", "throughput", "concurrency", "memory", "scale", "paas", "live", "chaos", "sync"] as const;

/** `--sync-deployments N`: the sync section's scale (5 Pods each); 1,000 by default. */
function syncDeployments(): number {
  const index = process.argv.indexOf("--sync-deployments");
  if (index < 0) return 1_000;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    process.stderr.write("bench: --sync-deployments takes an integer from 1 to 10000\n");
    process.exit(2);
  }
  return value;
}
type Section = (typeof SECTIONS)[number];

/** `--only memory,throughput`: those sections alone (a partial table is printed, never written). */
function selectedSections(): Set<Section> {
  const index = process.argv.indexOf("--only");
  if (index < 0) return new Set(SECTIONS);
  const names = (process.argv[index + 1] ?? "").split(",").filter(Boolean);
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    process.stderr.write(`bench: --only takes a comma-separated list of ${SECTIONS.join(", ")}${unknown.length ? ` (not: ${unknown.join(", ")})` : ""}\n`);
    process.exit(2);
  }
  return new Set(names as Section[]);
}

/**
 * `npm run bench [-- --quick] [-- --scale] [-- --no-write] [-- --only SECTIONS]`: seeds its datasets (reused
 * across runs), measures, prints a table and writes BENCHMARKS.md. Runs against MONGODB_URI when set.
 */
async function main(): Promise<void> {
  const sections = selectedSections();
  const quick = process.argv.includes("--quick");
  // `--only scale` asks for the 1M dataset as plainly as `--scale` does.
  const scale = sections.has("scale") && (process.argv.includes("--scale") || process.argv.includes("--only"));
  const write = !process.argv.includes("--no-write") && !process.argv.includes("--only");
  const timing = quick ? { rounds: 3, seconds: 2 } : { rounds: 5, seconds: 5 };
  // The trivial-query comparison: many short rounds (about as much load in all as 5 × 5 s a side).
  const throughputTiming = quick ? { rounds: 5, seconds: 1 } : { rounds: 12, seconds: 2 };
  // CPU per request: alternating blocks of about 1.5 s of requests a side.
  const cpuBlocks = quick ? 4 : 16;
  const rows: BenchRow[] = [];
  const datasets: string[] = [];

  // First, and on a server and data of its own (procgraph as `npm start` runs it, on an embedded
  // database it can freeze and kill): alone, it needs none of the datasets below.
  const chaosRows: BenchRow[] = [];
  if (sections.has("chaos")) {
    const chaosTiming = quick ? { loadSeconds: 15, freezeSeconds: 10, operationNames: 5_000, unknownTokens: 10_000 } : { loadSeconds: 60, freezeSeconds: 30, operationNames: 20_000, unknownTokens: 60_000 };
    chaosRows.push(...(await chaosSection(loadOperation("crossmodel/dashboard.graphql", "GraphCrossModelDashboard"), chaosTiming)));
    datasets.push("chaos: the demo data `npm start` seeds, on an embedded SecantusDB of procgraph's own (a temporary DATA_DIR)");
    if (sections.size === 1) return void process.stdout.write(`\n${renderConsole(chaosRows)}\n`);
  }

  const bench = await openBenchDatabase();
  // The floors read through a client with the driver's defaults (bench/lib/db.ts, floorClient).
  const floorDb = (db: Db) => bench.floorClient.db(db.databaseName);
  try {
    const cmdbDataset = (processes: number, hosts: number, businesses: number): Dataset => ({
      name: `bench_cmdb_${processes}`,
      spec: { model: "cmdb", processes, hosts, businesses, sets: 2, modules: 2, seed: 11 },
      seed: async (deps) => {
        await seedCmdb(deps, { businesses, sets: 2, modules: 2, hosts, processes, seed: 11, owner: "0", batchSize: 5_000 });
        await ensureCmdbIndexes(deps.db, "");
      },
    });
    const describe = (label: string, data: DatasetState) => {
      const seeded = data.seededSeconds === undefined ? "" : `seeded in ${data.seededSeconds.toFixed(1)} s`;
      if (!data.reused) return `${label}, ${seeded}`;
      const when = data.seededAt ? ` on ${data.seededAt.toISOString().slice(0, 10)}` : "";
      return `${label} (reused from an earlier run${seeded ? `, ${seeded}${when}` : ""})`;
    };

    // 1000 processes per business on every CMDB dataset: the scale comparison reads the same page size.
    const small = cmdbDataset(10_000, 1_000, 10);
    const smallData = await ensureDataset(bench, small);
    datasets.push(describe("CMDB: 10,000 processes, 1,000 hosts, 10 businesses (seed 11)", smallData));
    const paas: Dataset = { name: "bench_paas_50", spec: { model: "paas", apps: 50, seed: 7, maxModules: 3 }, seed: (deps) => seedPaas(deps, { apps: 50, seed: 7, maxModules: 3, drop: true }) };
    const paasData = await ensureDataset(bench, paas);
    datasets.push(describe("PaaS: 50 apps (seed 7, up to 3 modules each)", paasData));

    const cmdbPage = loadOperation("cmdb/graph.graphql", "CmdbProcessDashboardPage");
    const cmdbRelatedInfo = loadOperation("cmdb/relatedInfo.graphql", "CmdbRelatedInfoDashboard");
    const paasDashboard = loadOperation("paas/navigation.graphql", "PaasDashboard");
    const biz = 2;

    if (sections.has("roundtrips")) {
      const cmdbPages = [10, 100, 500].map((n) => ({ label: `page ${n}`, variables: { bkBizId: biz, first: n } }));
      rows.push(...(await roundTripSection(bench.client, smallData.db, "CMDB page (process → service instance, module, set, host, template)", cmdbPage, cmdbPages, 8)));
      rows.push(...(await roundTripSection(bench.client, paasData.db, "PaaS dashboard (apps → instances)", paasDashboard, [10, 50].map((n) => ({ label: `${n} apps`, variables: { first: n } })))));
    }

    const cmdbServer = await startProcgraphChild(bench.uri, small.name);
    try {
      if (sections.has("latency")) rows.push(...(await cmdbFloorSection(cmdbServer, floorDb(smallData.db), cmdbPage, biz, timing.rounds * 4)));
      if (sections.has("cpu")) {
        const restFields = ["bk_process_id", "bk_process_name"];
        const restSide: CpuSide = {
          call: () => postRelatedInfo(cmdbServer.url, biz, restFields, 500),
          answer: () => postRelatedInfo(cmdbServer.url, biz, restFields, 500),
        };
        rows.push(
          ...(await cpuSection(
            cmdbServer,
            [
              ...[100, 500].map((first) => ({
                measure: `canonical CMDB page of ${first}`,
                target: first === 500 ? { max: 1.5, label: "≤ 1.50× (stretch 1.25×)" } : undefined,
                procgraph: graphqlSide(cmdbServer, cmdbPage, { bkBizId: biz, first }),
                floor: jsonFloorSide(() => cmdbFloorPage(floorDb(smallData.db), biz, first), (parsed) => parsed.data),
              })),
              {
                measure: "list_process_related_info REST page of 500",
                target: { max: 1.3, label: "≤ 1.30×" },
                procgraph: restSide,
                floor: jsonFloorSide(() => restFloorRelatedInfo(floorDb(smallData.db), biz, restFields, 500), (parsed) => parsed),
              },
            ],
            cpuBlocks,
          )),
        );
      }
      // Twice the latency section's rounds: the REST band (±10 %) is narrow beside the DB server's jitter.
      if (sections.has("rest")) rows.push(...(await cmdbRestVsGraphQLSection(cmdbServer, cmdbRelatedInfo, biz, timing.rounds * 8)));
      if (sections.has("throughput")) rows.push(...(await throughputSection(cmdbServer, throughputTiming)));
      if (sections.has("concurrency")) rows.push(...(await concurrencySection(cmdbServer, "CMDB page of 500", cmdbPage, { bkBizId: biz, first: 500 }, timing.seconds)));
      if (sections.has("memory")) {
        // A server of its own: the peak is the 100 clients', not an earlier section's.
        rows.push(...(await memorySection(() => startProcgraphChild(bench.uri, small.name), "the CMDB page of 500", cmdbPage, { bkBizId: biz, first: 500 }, timing.seconds * 2)));
      }

      if (scale) {
        const large = cmdbDataset(1_000_000, 100_000, 1_000);
        const largeData = await ensureDataset(bench, large);
        datasets.push(describe("CMDB: 1,000,000 processes, 100,000 hosts, 1,000 businesses (seed 11)", largeData));
        const largeServer = await startProcgraphChild(bench.uri, large.name);
        try {
          rows.push(...(await cmdbScaleSection(cmdbServer, largeServer, cmdbPage, biz, timing.rounds * 2, ["10k", "1M"])));
        } finally {
          await largeServer.stop();
        }
      } else if (sections.has("scale")) {
        rows.push({ section: "scale", measure: "page of 500 of one business: 1M ÷ 10k", result: "not run (npm run bench -- --scale seeds 1M processes)", target: "≤ 1.50×" });
      }
    } finally {
      await cmdbServer.stop();
    }

    if (sections.has("paas") || sections.has("cpu")) {
      const paasServer = await startProcgraphChild(bench.uri, paas.name);
      try {
        if (sections.has("cpu")) {
          rows.push(
            ...(await cpuSection(
              paasServer,
              [
                {
                  measure: "PaaS dashboard, 50 apps",
                  target: { max: 1.5, label: "≤ 1.50×" },
                  procgraph: graphqlSide(paasServer, paasDashboard, { first: 50 }),
                  floor: jsonFloorSide(() => paasFloorDashboard(floorDb(paasData.db), 50), (parsed) => parsed.data),
                },
              ],
              cpuBlocks,
            )),
          );
        }
        if (sections.has("paas")) rows.push(...(await concurrencySection(paasServer, "PaaS dashboard, 50 apps", paasDashboard, { first: 50 }, timing.seconds)));
      } finally {
        await paasServer.stop();
      }
    }

    if (sections.has("sync")) {
      const deployments = syncDeployments();
      rows.push(...(await syncSection(bench.uri, bench.client.db("bench_sync"), { deployments, podsPerDeployment: 5, samples: quick ? 50 : 200 })));
      datasets.push(`Kubernetes sync: ${deployments} Deployments of 5 Pods on one kwok node, into an empty database`);
    }

    if (sections.has("live")) {
      // A database of its own: the section writes processes and watches them arrive.
      const liveServer = await startProcgraphChild(bench.uri, "bench_live");
      try {
        rows.push(...(await liveSection(liveServer, bench.client, "bench_live", quick ? 20 : 50)));
      } finally {
        await liveServer.stop();
      }
    }

    rows.push(...chaosRows);
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
