import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { secantusServerPid } from "../../src/db/embedded/secantus";
import { PROJECT_ROOT } from "../../src/paths";
import type { BenchRow } from "../lib/report";
import { startChildServer, type ChildServer } from "../lib/server";

/** procgraph's defaults: what an operator runs. */
const REQUEST_TIMEOUT_MS = 15_000;
const RSS_LIMIT_MIB = 300;

export interface ChaosTiming {
  /** The load of 200 clients. */
  loadSeconds: number;
  /** How long the database stays frozen (under load). */
  freezeSeconds: number;
  operationNames: number;
  unknownTokens: number;
}

interface Answer {
  at: number;
  ok: boolean;
  /** `TIMEOUT 200`, `OVERLOADED 503`, …: the GraphQL code (or "HTTP") and the status. */
  failure?: string;
}

/** Runs `connections` clients on one GraphQL query; every answer is classified as it arrives. */
async function graphqlLoad(
  server: ChildServer,
  query: string,
  options: { connections: number; seconds?: number; amount?: number; body?: (i: number) => string; headers?: (i: number) => Record<string, string> },
  answers: Answer[] = [],
): Promise<{ result: autocannon.Result; answers: Answer[] }> {
  let sent = 0;
  const result = await autocannon({
    url: server.url,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.seconds } : { amount: options.amount }),
    // Far beyond the deadline: a hung request shows up as a latency, not as autocannon's reset.
    timeout: 60,
    requests: [
      {
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
        setupRequest: (request) => {
          const i = sent++;
          return {
            ...request,
            ...(options.body ? { body: options.body(i) } : {}),
            ...(options.headers ? { headers: { ...request.headers, ...options.headers(i) } } : {}),
          };
        },
        onResponse: (status, body) => {
          let code: string | undefined;
          try {
            code = (JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;
          } catch {
            code = "not JSON";
          }
          const ok = status === 200 && code === undefined;
          answers.push({ at: Date.now(), ok, failure: ok ? undefined : `${code ?? "HTTP"} ${status}` });
        },
      },
    ],
  });
  return { result, answers };
}

function tally(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) if (a.failure) counts.set(a.failure, (counts.get(a.failure) ?? 0) + 1);
  return counts.size === 0 ? "no failures" : [...counts].map(([failure, n]) => `${n} × ${failure}`).join(", ");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Polls until a GraphQL query answers with data; milliseconds from `since`, or undefined. */
async function waitForService(server: ChildServer, query: string, since: number, withinMs: number): Promise<number | undefined> {
  while (Date.now() < since + withinMs) {
    try {
      const response = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }), signal: AbortSignal.timeout(5_000) });
      const body = (await response.json()) as { errors?: unknown };
      if (response.status === 200 && !body.errors) return Date.now() - since;
    } catch {
      // Not yet.
    }
    await sleep(100);
  }
  return undefined;
}

async function metricsBytes(server: ChildServer): Promise<number> {
  return (await (await fetch(`${server.url}/metrics`)).text()).length;
}

async function tokenLookups(server: ChildServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/procgraph_mongodb_commands_total\{command="find",outcome="success"\} (\d+)/.exec(text)?.[1] ?? 0);
}

/**
 * The chaos section: procgraph as `npm start` runs it (its own embedded SecantusDB with the demo
 * data, default settings) under 200 clients, with its database frozen, with its database killed,
 * and under floods of operation names and unknown tokens.
 */
export async function chaosSection(dashboard: string, timing: ChaosTiming): Promise<BenchRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-chaos-"));
  const storageDir = path.join(dataDir, "secantus");
  const server = await startChildServer(
    path.join(PROJECT_ROOT, "dist", "src", "index.js"),
    { MONGODB_URI: "", DATA_DIR: dataDir, SEED_DEMO: "true", ANONYMOUS_SCOPE: "all", REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    /procgraph ready: playground at (http:\/\/\S+)\/graphql/,
  );
  const rows: BenchRow[] = [];
  const alive = () => {
    try {
      process.kill(server.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    // 1. 200 clients on the README's dashboard query.
    const { result, answers } = await graphqlLoad(server, dashboard, { connections: 200, seconds: timing.loadSeconds });
    const expected = (a: Answer) => a.ok || /^(OVERLOADED 503|TIMEOUT (200|503|504))$/.test(a.failure ?? "");
    const unexpected = answers.filter((a) => !expected(a));
    const p99 = result.latency.p99;
    const rss = server.peakRssMiB();
    const survived = alive() && (await fetch(`${server.url}/healthz`)).status === 200;
    rows.push(
      {
        section: "chaos",
        measure: `200 clients × ${timing.loadSeconds} s on the README's dashboard query: process alive, failures only OVERLOADED/TIMEOUT`,
        result: `${survived ? "alive" : "DIED"}; ${answers.length} answers, ${tally(answers)}`,
        target: "alive, no other failure",
        met: survived && unexpected.length === 0 && result.errors === 0,
        note: `${Math.round(result.requests.average)} req/s; ${result.errors} connection errors`,
      },
      { section: "chaos", measure: "… p99 latency", result: `${seconds(p99)}`, target: `≤ ${seconds(REQUEST_TIMEOUT_MS + 1_000)}`, met: p99 <= REQUEST_TIMEOUT_MS + 1_000 },
      { section: "chaos", measure: "… peak RSS of procgraph", result: `${rss.toFixed(0)} MiB`, target: `< ${RSS_LIMIT_MIB} MiB`, met: rss < RSS_LIMIT_MIB },
    );

    // 2. The database frozen (SIGSTOP) under load.
    await waitForService(server, dashboard, Date.now(), 30_000);
    const dbPid = secantusServerPid(storageDir);
    if (!dbPid) throw new Error(`chaos: no SecantusDB server on ${storageDir}`);
    const frozenAnswers: Answer[] = [];
    const readiness: Array<{ at: number; ms: number; status: number }> = [];
    let frozenAt = 0;
    let thawedAt = 0;
    const loadDone = graphqlLoad(server, dashboard, { connections: 50, seconds: timing.freezeSeconds + 8 }, frozenAnswers);
    await sleep(2_000);
    try {
      process.kill(dbPid, "SIGSTOP");
      frozenAt = Date.now();
      while (Date.now() < frozenAt + timing.freezeSeconds * 1000) {
        const at = Date.now();
        const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(60_000) }).catch(() => undefined);
        readiness.push({ at: at - frozenAt, ms: Date.now() - at, status: response?.status ?? 0 });
        await sleep(250);
      }
    } finally {
      process.kill(dbPid, "SIGCONT");
      thawedAt = Date.now();
    }
    const frozen = await loadDone;
    const firstUnready = readiness.find((r) => r.status === 503)?.at;
    const slowestReady = Math.max(...readiness.map((r) => r.ms));
    const back = frozenAnswers.find((a) => a.ok && a.at >= thawedAt);
    const backMs = back ? back.at - thawedAt : undefined;
    const maxLatency = frozen.result.latency.max;
    rows.push(
      {
        section: "chaos",
        measure: `database frozen ${timing.freezeSeconds} s under 50 clients: slowest response`,
        result: `${seconds(maxLatency)}; ${tally(frozenAnswers)}`,
        target: `≤ ${seconds(REQUEST_TIMEOUT_MS + 1_000)}`,
        met: maxLatency <= REQUEST_TIMEOUT_MS + 1_000 && frozen.result.errors === 0,
      },
      {
        section: "chaos",
        measure: "… /readyz 503 after the freeze (slowest /readyz answer)",
        result: `${firstUnready === undefined ? "never" : seconds(firstUnready)} (${seconds(slowestReady)})`,
        target: "≤ 2.0 s (≤ 1.0 s)",
        met: firstUnready !== undefined && firstUnready <= 2_000 && slowestReady <= 1_000,
      },
      { section: "chaos", measure: "… first answer with data after the thaw", result: backMs === undefined ? "none" : seconds(backMs), target: "≤ 2.0 s", met: backMs !== undefined && backMs <= 2_000 },
    );

    // 3. The embedded database killed.
    await waitForService(server, dashboard, Date.now(), 30_000);
    const killedPid = secantusServerPid(storageDir);
    if (!killedPid) throw new Error(`chaos: no SecantusDB server on ${storageDir}`);
    process.kill(killedPid, "SIGKILL");
    const killedAt = Date.now();
    const servingAfter = await waitForService(server, dashboard, killedAt, 30_000);
    rows.push({
      section: "chaos",
      measure: "embedded database killed (SIGKILL): serving again, procgraph not restarted",
      result: `${servingAfter === undefined ? "not within 30 s" : seconds(servingAfter)}; procgraph ${alive() ? "same process" : "DIED"}`,
      target: "≤ 10.0 s",
      met: servingAfter !== undefined && servingAfter <= 10_000 && alive(),
    });

    // 4. Floods of made-up operation names and unknown tokens. Flat: what the second half of each
    // flood adds (the first half also fills what is bounded by design, such as Apollo's 30 MiB
    // cache of parsed documents, and the heap's headroom).
    const rssNow = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1]) / 1024;
    const names = (from: number, count: number) =>
      graphqlLoad(server, "", { connections: 20, amount: count, body: (i) => JSON.stringify({ query: `query Op${from + i} { __typename }` }) });
    const unknownTokens = (count: number) =>
      graphqlLoad(server, "{ __typename }", { connections: 20, amount: count, headers: () => ({ authorization: `Bearer pgt_${randomBytes(24).toString("base64url")}` }) });
    await graphqlLoad(server, "{ __typename }", { connections: 20, amount: 2_000 });
    const half = Math.floor(timing.operationNames / 2);
    const metrics0 = await metricsBytes(server);
    const rss0 = rssNow();
    await names(0, half);
    const metrics1 = await metricsBytes(server);
    const rss1 = rssNow();
    await names(half, timing.operationNames - half);
    const metrics2 = await metricsBytes(server);
    const rss2 = rssNow();
    const lookupsBefore = await tokenLookups(server);
    const tokenHalf = Math.floor(timing.unknownTokens / 2);
    const tokenAnswers = (await unknownTokens(tokenHalf)).answers;
    const rss3 = rssNow();
    tokenAnswers.push(...(await unknownTokens(timing.unknownTokens - tokenHalf)).answers);
    const rss4 = rssNow();
    const lookups = (await tokenLookups(server)) - lookupsBefore;
    const metrics4 = await metricsBytes(server);
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)}`;
    const mib = (value: number) => value.toFixed(0);
    const secondHalves = rss2 - rss1 + (rss4 - rss3);
    rows.push(
      {
        section: "chaos",
        measure: `${timing.operationNames.toLocaleString("en")} operation names, then ${timing.unknownTokens.toLocaleString("en")} unknown tokens: /metrics size`,
        result: `${kib(metrics0)} → ${kib(metrics1)} → ${kib(metrics2)} → ${kib(metrics4)} KiB`,
        target: "≤ +256 KiB",
        met: metrics4 - metrics0 <= 256 * 1024,
        note: "before, after half the names, after all, after the tokens",
      },
      {
        section: "chaos",
        measure: "… RSS of procgraph, added by the second half of each flood",
        result: `${secondHalves >= 0 ? "+" : ""}${mib(secondHalves)} MiB`,
        target: "≤ +32 MiB",
        met: secondHalves <= 32,
        note: `RSS ${mib(rss0)} → ${mib(rss1)} → ${mib(rss2)} MiB over the names, ${mib(rss2)} → ${mib(rss3)} → ${mib(rss4)} MiB over the tokens; MongoDB finds during the token flood: ${lookups}; answers: ${tally(tokenAnswers)}`,
      },
    );
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
