import "reflect-metadata";
import path from "node:path";
import { openBenchDatabase } from "./lib/db";
import { PROJECT_ROOT } from "../src/paths";
import { loadOperation } from "./lib/operations";
import { postGraphQL, postRelatedInfo, startProcgraphChild } from "./lib/server";
import { cmdbFloorPage } from "./sections/cmdbFloor";
import { paasFloorDashboard } from "./sections/paasFloor";
import { restFloorRelatedInfo } from "./sections/restFloor";

/**
 * Server CPU per request of one workload, against its floor, for profiling and for comparing builds
 * (README, "Performance"): `node dist/bench/profile.js <cmdb500|cmdb100|rest|paas|trivial> [requests]`
 * on the bench's datasets (run `npm run bench` once to seed them). `PROF_ENTRY_A` and `PROF_ENTRY_B`
 * (paths to two builds' dist/src/index.js) measure two servers side by side in alternating blocks
 * (`PROF_BLOCKS`, default 6), and `PROF_ENV_A` / `PROF_ENV_B` (JSON objects of environment variables)
 * two settings of one build; `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"` profiles them.
 */
async function main() {
  const workload = process.argv[2] ?? "cmdb500";
  const count = Number(process.argv[3] ?? 40);
  const bench = await openBenchDatabase();
  const isPaas = workload === "paas";
  const dbName = isPaas ? "bench_paas_50" : "bench_cmdb_10000";
  const defaultEntry = path.join(PROJECT_ROOT, "dist", "src", "index.js");
  const sides = [
    { entry: process.env.PROF_ENTRY_A, env: process.env.PROF_ENV_A },
    { entry: process.env.PROF_ENTRY_B, env: process.env.PROF_ENV_B },
  ].filter((side) => side.entry || side.env);
  if (sides.length === 0) sides.push({ entry: undefined, env: undefined });
  const entries = sides.map((side) => `${side.entry ?? "dist"}${side.env ? ` ${side.env}` : ""}`);
  const servers = await Promise.all(sides.map((side) => startProcgraphChild(bench.uri, dbName, side.env ? (JSON.parse(side.env) as Record<string, string>) : {}, side.entry ?? defaultEntry)));
  const cmdbPage = loadOperation("cmdb/graph.graphql", "CmdbProcessDashboardPage");
  const paasDashboard = loadOperation("paas/navigation.graphql", "PaasDashboard");
  const db = bench.floorClient.db(dbName);
  const call = (url: string) =>
    workload === "cmdb500" ? postGraphQL(url, cmdbPage, { bkBizId: 2, first: 500 })
    : workload === "cmdb100" ? postGraphQL(url, cmdbPage, { bkBizId: 2, first: 100 })
    : workload === "rest" ? postRelatedInfo(url, 2, ["bk_process_id", "bk_process_name"], 500)
    : workload === "trivial" ? postGraphQL(url, "{ __typename }")
    : postGraphQL(url, paasDashboard, { first: 50 });
  const floor = () => workload === "cmdb500" ? cmdbFloorPage(db, 2, 500) : workload === "cmdb100" ? cmdbFloorPage(db, 2, 100) : workload === "rest" ? restFloorRelatedInfo(db, 2, ["bk_process_id", "bk_process_name"], 500) : workload === "trivial" ? Promise.resolve("") : paasFloorDashboard(db, 50);
  for (const s of servers) for (let i = 0; i < 5; i++) await call(s.url);
  for (let i = 0; i < 5; i++) await floor();
  const blocks = Number(process.env.PROF_BLOCKS ?? 6);
  const per = Math.ceil(count / blocks);
  const totals = servers.map(() => 0);
  let floorTotal = 0;
  for (let b = 0; b < blocks; b++) {
    const order = servers.map((_, i) => i);
    if (b % 2) order.reverse();
    for (const i of order) {
      const before = servers[i].cpuMicros();
      for (let k = 0; k < per; k++) await call(servers[i].url);
      totals[i] += servers[i].cpuMicros() - before;
    }
    const f = process.cpuUsage();
    for (let k = 0; k < per; k++) await floor();
    const u = process.cpuUsage(f);
    floorTotal += u.user + u.system;
  }
  const n = per * blocks;
  const floorMs = floorTotal / n / 1000;
  servers.forEach((s, i) => process.stdout.write(`${entries[i]}: ${(totals[i] / n / 1000).toFixed(2)} ms/request; floor ${floorMs.toFixed(2)} ms; ratio ${((totals[i] / n / 1000) / floorMs).toFixed(2)}\n`));
  for (const s of servers) await s.stop();
  await bench.close();
}
void main().catch((e) => { console.error(e); process.exit(1); });
