import { isDeepStrictEqual } from "node:util";
import type { Db } from "mongodb";
import type { BenchRow } from "../lib/report";
import { postGraphQL, type ChildServer } from "../lib/server";
import { alternate, median, ms, ratio } from "../lib/stats";
import { cmdbFloorPage } from "./cmdbFloor";

/** procgraph over HTTP against the hand-written floor, alternately, on the same page of 500. */
export async function cmdbFloorSection(server: ChildServer, db: Db, query: string, bkBizId: number, rounds: number): Promise<BenchRow[]> {
  const variables = { bkBizId, first: 500 };
  // Same data on both sides, or the comparison means nothing.
  const ours = await postGraphQL(server.url, query, variables);
  const floor = JSON.parse(await cmdbFloorPage(db, bkBizId, 500)).data;
  if (!isDeepStrictEqual(ours, floor)) throw new Error("the floor script and procgraph disagree on the canonical page: fix the floor first");
  const samples = await alternate(
    rounds,
    2,
    () => postGraphQL(server.url, query, variables),
    () => cmdbFloorPage(db, bkBizId, 500),
  );
  const value = median(samples.a) / median(samples.b);
  return [
    {
      section: "latency",
      measure: "canonical CMDB page of 500 (process + service instance, module, set, host, template): procgraph p50 ÷ direct-driver floor p50",
      result: `${ratio(value)} (${ms(median(samples.a))} vs ${ms(median(samples.b))})`,
      target: "≤ 1.25×",
      met: value <= 1.25,
      note: `${rounds} alternating rounds; procgraph over HTTP, floor in-process`,
    },
  ];
}

/** The REST compatibility endpoint against the GraphQL field, for the same result. */
export async function cmdbRestVsGraphQLSection(server: ChildServer, graphqlQuery: string, bkBizId: number, rounds: number): Promise<BenchRow[]> {
  const page = { start: 0, limit: 500 };
  const rest = async () => {
    const response = await fetch(`${server.url}/api/v3/findmany/proc/process_related_info/biz/${bkBizId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fields: ["bk_process_id", "bk_process_name"], page }),
    });
    const body = (await response.json()) as { result: boolean; data: { info: unknown[] } };
    if (!body.result) throw new Error(`REST failed: ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };
  const graphql = () => postGraphQL(server.url, graphqlQuery, { bkBizId, page });
  // Server CPU per request of each side (one request at a time, so all of it is that request's):
  // what the two paths cost apart from the database's time. A mean, as /proc counts in 10 ms ticks.
  const cpu = { rest: [] as number[], graphql: [] as number[] };
  const withCpu = (side: keyof typeof cpu, call: () => Promise<unknown>) => async () => {
    const before = server.cpuMicros();
    await call();
    cpu[side].push((server.cpuMicros() - before) / 1000);
  };
  const warmup = 2;
  const samples = await alternate(rounds, warmup, withCpu("rest", rest), withCpu("graphql", graphql));
  const value = median(samples.a) / median(samples.b);
  // The warm-up calls went through withCpu too; they are not rounds.
  const mean = (values: number[]) => values.slice(warmup).reduce((sum, value) => sum + value, 0) / (values.length - warmup);
  const cpuNote = Number.isFinite(mean(cpu.rest)) ? `; mean server CPU per request ${ms(mean(cpu.rest))} vs ${ms(mean(cpu.graphql))}` : "";
  return [
    {
      section: "latency",
      measure: "list_process_related_info, page of 500: REST endpoint p50 ÷ GraphQL cmdbProcessRelatedInfo p50",
      result: `${ratio(value)} (${ms(median(samples.a))} vs ${ms(median(samples.b))})`,
      target: "0.90×–1.10×",
      met: value >= 0.9 && value <= 1.1,
      note: `${rounds} alternating rounds${cpuNote}`,
    },
  ];
}

/** Page-500 latency of one business among many: the same per-business size on a small and a large dataset. */
export async function cmdbScaleSection(small: ChildServer, large: ChildServer, query: string, bkBizId: number, rounds: number, labels: [string, string]): Promise<BenchRow[]> {
  const variables = { bkBizId, first: 500 };
  const samples = await alternate(
    rounds,
    2,
    () => postGraphQL(small.url, query, variables),
    () => postGraphQL(large.url, query, variables),
  );
  const value = median(samples.b) / median(samples.a);
  return [
    {
      section: "scale",
      measure: `page of 500 of one business: ${labels[1]} p50 ÷ ${labels[0]} p50`,
      result: `${ratio(value)} (${ms(median(samples.b))} vs ${ms(median(samples.a))})`,
      target: "≤ 1.50×",
      met: value <= 1.5,
    },
  ];
}
