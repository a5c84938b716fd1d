import { load, type LoadResult } from "../lib/load";
import type { BenchRow } from "../lib/report";
import { startBareApolloChild, type ChildServer } from "../lib/server";
import { median, percentile, ratio } from "../lib/stats";

const TRIVIAL = "{ __typename }";

/** Errors are reported in the row, not thrown: a missed target is a result too. */
function failures(result: { errors: number; non2xx: number }): string | undefined {
  return result.errors + result.non2xx > 0 ? `${result.errors} timeouts/errors, ${result.non2xx} non-2xx responses` : undefined;
}

interface ThroughputSample {
  requestsPerSecond: number;
  /** Server CPU time per answered request, in microseconds. */
  cpuMicrosPerRequest: number;
}

async function measure(server: ChildServer, seconds: number): Promise<ThroughputSample> {
  const cpuBefore = server.cpuMicros();
  const result = await load(server.url, TRIVIAL, 10, seconds);
  const failed = failures(result);
  if (failed) throw new Error(`throughput: ${failed} from ${server.url}`);
  return { requestsPerSecond: result.requestsPerSecond, cpuMicrosPerRequest: (server.cpuMicros() - cpuBefore) / result.requests };
}

/**
 * Requests per second of a trivial query: procgraph (every plugin and middleware on) against a bare
 * Apollo app. Many short rounds, each running both sides back to back (in alternating order), and
 * the median of the rounds' ratios: a shared machine's slow drift then cancels within each round.
 */
export async function throughputSection(procgraph: ChildServer, options: { rounds: number; seconds: number }): Promise<BenchRow[]> {
  const bare = await startBareApolloChild();
  try {
    await load(procgraph.url, TRIVIAL, 10, 1);
    await load(bare.url, TRIVIAL, 10, 1);
    const rounds: Array<{ ours: ThroughputSample; theirs: ThroughputSample }> = [];
    for (let round = 0; round < options.rounds; round++) {
      if (round % 2 === 0) {
        const ours = await measure(procgraph, options.seconds);
        rounds.push({ ours, theirs: await measure(bare, options.seconds) });
      } else {
        const theirs = await measure(bare, options.seconds);
        rounds.push({ ours: await measure(procgraph, options.seconds), theirs });
      }
    }
    const ratios = rounds.map((r) => r.ours.requestsPerSecond / r.theirs.requestsPerSecond);
    const value = median(ratios);
    const ours = median(rounds.map((r) => r.ours.requestsPerSecond));
    const theirs = median(rounds.map((r) => r.theirs.requestsPerSecond));
    const cpu = (side: "ours" | "theirs") => median(rounds.map((r) => r[side].cpuMicrosPerRequest));
    const cpuNote = Number.isFinite(cpu("ours")) ? `; server CPU per request ${Math.round(cpu("ours"))} vs ${Math.round(cpu("theirs"))} µs` : "";
    return [
      {
        section: "throughput",
        measure: "trivial query `{ __typename }`, 10 connections: procgraph ÷ bare Apollo 5 + Express 5",
        result: `${ratio(value)} (${Math.round(ours)} vs ${Math.round(theirs)} req/s)`,
        target: "≥ 0.90×",
        met: value >= 0.9,
        note: `median of ${options.rounds} rounds' ratios (${ratio(percentile(ratios, 25))}–${ratio(percentile(ratios, 75))} between quartiles), ${options.seconds} s per side per round${cpuNote}`,
      },
    ];
  } finally {
    await bare.stop();
  }
}

/** The canonical query under 1, 10 and 50 concurrent clients. */
export async function concurrencySection(server: ChildServer, name: string, query: string, variables: Record<string, unknown>, seconds: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const connections of [1, 10, 50]) {
    const result = await load(server.url, query, connections, seconds, variables);
    rows.push({
      section: "throughput",
      measure: `${name}, ${connections} concurrent client${connections === 1 ? "" : "s"}`,
      result: `${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`,
      note: failures(result),
    });
  }
  return rows;
}

/** Peak RSS of a fresh server process while 100 clients send the canonical query. */
export async function memorySection(
  start: () => Promise<ChildServer>,
  name: string,
  query: string,
  variables: Record<string, unknown>,
  seconds: number,
): Promise<BenchRow[]> {
  const server = await start();
  let result: LoadResult;
  let peak: number;
  try {
    result = await load(server.url, query, 100, seconds, variables);
    peak = server.peakRssMiB();
  } finally {
    await server.stop();
  }
  return [
    {
      section: "memory",
      measure: `peak RSS of the server, 100 concurrent clients on ${name} for ${seconds} s`,
      result: `${peak.toFixed(0)} MiB`,
      target: "≤ 250 MB",
      met: peak * 1.048576 <= 250,
      note: [`${result.requestsPerSecond.toFixed(1)} req/s, p99 ${result.p99} ms`, failures(result)].filter(Boolean).join("; "),
    },
  ];
}
