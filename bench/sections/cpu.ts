import { isDeepStrictEqual } from "node:util";
import type { BenchRow } from "../lib/report";
import { postGraphQL, type ChildServer } from "../lib/server";
import { percentile, ratio } from "../lib/stats";

/** One side of a comparison: what it answers (checked equal to the other side's) and how it is called. */
export interface CpuSide {
  call(): Promise<unknown>;
  /** The answer as a plain value, to check both sides return the same data before measuring. */
  answer(): Promise<unknown>;
}

export interface CpuComparison {
  measure: string;
  target?: { max: number; label: string };
  procgraph: CpuSide;
  floor: CpuSide;
}

/** procgraph's CPU (from /proc, the server process) for `count` sequential calls, in microseconds. */
async function serverCpu(server: ChildServer, side: CpuSide, count: number): Promise<number> {
  const before = server.cpuMicros();
  for (let i = 0; i < count; i++) await side.call();
  return server.cpuMicros() - before;
}

/** The floor's CPU (this process: driver decode and assembly) for `count` sequential calls, in microseconds. */
async function floorCpu(side: CpuSide, count: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await side.call();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/**
 * CPU per request, independent of the database's speed: the server's CPU time per request (one
 * request at a time, so all of it is that request's) against the floor's, the same queries by hand
 * in this process. Blocks alternate between the sides so a shared machine's drift hits both;
 * /proc counts 10 ms ticks, so each block runs long enough (≥ 0.5 s of CPU) to make that negligible.
 */
export async function cpuSection(server: ChildServer, comparisons: CpuComparison[], blocks: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const comparison of comparisons) {
    const [ours, floor] = [await comparison.procgraph.answer(), await comparison.floor.answer()];
    if (!isDeepStrictEqual(ours, floor)) throw new Error(`cpu: procgraph and its floor disagree on "${comparison.measure}": fix the floor first`);
    // Warm up both sides (JIT, pools), then size a block from one timed call.
    for (let i = 0; i < 5; i++) {
      await comparison.procgraph.call();
      await comparison.floor.call();
    }
    const startedAt = process.hrtime.bigint();
    await comparison.procgraph.call();
    const callMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    const perBlock = Math.max(5, Math.min(200, Math.ceil(1500 / Math.max(callMs, 1))));
    let oursTotal = 0;
    let floorTotal = 0;
    // The figure is the ratio of the totals (a page's garbage collection lands in some blocks only,
    // and is part of its cost); the spread of the blocks' own ratios says how noisy the run was.
    const blockRatios: number[] = [];
    for (let block = 0; block < blocks; block++) {
      let ours: number;
      let floor: number;
      if (block % 2 === 0) {
        ours = await serverCpu(server, comparison.procgraph, perBlock);
        floor = await floorCpu(comparison.floor, perBlock);
      } else {
        floor = await floorCpu(comparison.floor, perBlock);
        ours = await serverCpu(server, comparison.procgraph, perBlock);
      }
      oursTotal += ours;
      floorTotal += floor;
      blockRatios.push(ours / floor);
    }
    const requests = perBlock * blocks;
    const oursMs = oursTotal / requests / 1000;
    const floorMs = floorTotal / requests / 1000;
    const value = oursMs / floorMs;
    rows.push({
      section: "cpu",
      measure: `${comparison.measure}: procgraph server CPU per request ÷ direct-driver floor CPU per request`,
      result: `${ratio(value)} (${oursMs.toFixed(2)} vs ${floorMs.toFixed(2)} ms)`,
      target: comparison.target?.label,
      met: comparison.target ? value <= comparison.target.max : undefined,
      note: `${requests} requests a side in ${blocks} alternating blocks, one at a time (blocks' own ratios ${ratio(percentile(blockRatios, 25))}–${ratio(percentile(blockRatios, 75))} between quartiles); server CPU from /proc/PID/task/*/schedstat, the floor's from process.cpuUsage()`,
    });
  }
  return rows;
}

/** A GraphQL side: the `data` of the answer is what is compared. */
export function graphqlSide(server: ChildServer, query: string, variables: Record<string, unknown>): CpuSide {
  return { call: () => postGraphQL(server.url, query, variables), answer: () => postGraphQL(server.url, query, variables) };
}

/** A floor side that returns its answer as JSON text: `pick` takes the compared part out of it. */
export function jsonFloorSide(call: () => Promise<string>, pick: (parsed: any) => unknown): CpuSide {
  return { call, answer: async () => pick(JSON.parse(await call())) };
}
