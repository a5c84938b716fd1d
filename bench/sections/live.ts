import { loadavg } from "node:os";
import type { MongoClient } from "mongodb";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type { BenchRow } from "../lib/report";
import type { ChildServer } from "../lib/server";

const SUBSCRIPTION = "subscription Bench { processEvents(filter: { source: CMDB }) { type id cursor } }";

interface Subscriber {
  client: Client;
  /** Process id → arrival times (ms, performance clock) of its events. */
  arrivals: Map<number, number[]>;
}

/** `count` subscriptions, `perConnection` of them on each graphql-ws connection. */
async function openSubscribers(server: ChildServer, count: number, perConnection = 1, alreadyOpen = 0): Promise<Subscriber[]> {
  const url = `${server.url.replace(/^http/, "ws")}/graphql`;
  const subscribers: Subscriber[] = [];
  let client: Client | undefined;
  for (let i = 0; i < count; i += 1) {
    if (i % perConnection === 0) client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
    const arrivals = new Map<number, number[]>();
    client!.subscribe(
      { query: SUBSCRIPTION },
      {
        next: (message) => {
          const id = Number(Buffer.from(String((message.data as { processEvents: { id: string } }).processEvents.id), "base64url").toString().split(":")[1]);
          const list = arrivals.get(id) ?? [];
          list.push(performance.now());
          arrivals.set(id, list);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    subscribers.push({ client: client!, arrivals });
  }
  // Every subscription is open once the server counts them all.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const active = text.split("\n").filter((l) => l.startsWith("procgraph_subscriptions_active{")).reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
    if (active >= count + alreadyOpen) return subscribers;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bench live: ${count} subscriptions did not open within 120 s`);
}

/** The server's executions of live events so far: run, and shared with an identical subscription. */
async function executions(server: ChildServer): Promise<{ run: number; shared: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const value = (shared: string) => Number(text.split("\n").find((l) => l.startsWith(`procgraph_subscription_executions_total{shared="${shared}"}`))?.split(" ").pop() ?? 0);
  return { run: value("false"), shared: value("true") };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * Write-to-delivery latency (insert into cc_Process → the event at every subscriber), loss and
 * duplicates counted per subscriber, RSS per idle subscription and fan-out rate, over real
 * graphql-ws connections (one per subscriber) and the server's real change stream.
 */
export async function liveSection(server: ChildServer, client: MongoClient, dbName: string, writes: number): Promise<BenchRow[]> {
  const processes = client.db(dbName).collection("cc_Process");
  await processes.deleteMany({});
  const rows: BenchRow[] = [];
  let nextId = 1;

  const measure = async (subscribers: Subscriber[], label: string, spacingMs: number) => {
    const written = new Map<number, number>();
    const first = nextId;
    for (let i = 0; i < writes; i += 1) {
      const id = nextId++;
      written.set(id, performance.now());
      await processes.insertOne({ bk_process_id: id, bk_biz_id: 2, bk_process_name: `bench-${id}`, bk_supplier_account: "0" });
      await new Promise((r) => setTimeout(r, spacingMs));
    }
    const deadline = Date.now() + 30_000;
    const complete = () => subscribers.every((s) => [...written.keys()].every((id) => s.arrivals.has(id)));
    while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const latencies: number[] = [];
    let lost = 0;
    let duplicated = 0;
    for (const s of subscribers) {
      for (const [id, at] of written) {
        const got = s.arrivals.get(id) ?? [];
        if (got.length === 0) lost += 1;
        if (got.length > 1) duplicated += got.length - 1;
        if (got.length > 0) latencies.push(got[0] - at);
      }
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    rows.push({
      section: "live",
      measure: `write → delivery, ${label}: p50 / p99`,
      result: `${p50.toFixed(1)} / ${p99.toFixed(1)} ms`,
      target: subscribers.length >= 1000 ? "p99 < 100 ms" : undefined,
      met: subscribers.length >= 1000 ? p99 < 100 : undefined,
      note: `${writes} inserts into cc_Process (ids ${first}..${nextId - 1}), ${spacingMs} ms apart; latency from before the insert to the event's arrival at each subscriber; load average ${loadavg()[0].toFixed(1)} (shared machine)`,
    });
    rows.push({
      section: "live",
      measure: `events lost / duplicated, ${label}`,
      result: `${lost} / ${duplicated} of ${writes * subscribers.length}`,
      target: "0 / 0",
      met: lost === 0 && duplicated === 0,
    });
  };

  const one = await openSubscribers(server, 1);
  await measure(one, "1 subscriber", 20);
  for (const s of one) await s.client.dispose();

  // Idle memory: 1,000 subscriptions, 20 per connection (the per-connection cap), then 1,000 connections of one.
  const rss = async (label: string, perConnection: number) => {
    const before = server.rssKiB();
    const opened = await openSubscribers(server, 1000, perConnection);
    await new Promise((r) => setTimeout(r, 2_000));
    const after = server.rssKiB();
    const each = (after - before) / 1000;
    rows.push({
      section: "live",
      measure: `server RSS per idle subscription, ${label}`,
      result: `${each.toFixed(1)} KiB`,
      target: "< 20 KB",
      met: each * 1.024 < 20,
      note: `RSS ${Math.round(before / 1024)} MiB before, ${Math.round(after / 1024)} MiB after 1,000 subscriptions`,
    });
    return opened;
  };
  const shared = await rss("20 per graphql-ws connection", 20);
  for (const s of new Set(shared.map((x) => x.client))) await s.dispose();
  await new Promise((r) => setTimeout(r, 1_000));
  const many = await rss("one graphql-ws connection each", 1);
  // 1,000 deliveries per write: 100 ms apart keeps the rate (10,000 deliveries/s) under the fan-out capacity measured below.
  const executedBefore = await executions(server);
  await measure(many, "1,000 subscribers", 100);
  const executed = await executions(server);
  const run = executed.run - executedBefore.run;
  const sharedRuns = executed.shared - executedBefore.shared;
  rows.push({
    section: "live",
    measure: "executions per event, 1,000 identical subscribers",
    result: `${(run / writes).toFixed(1)}`,
    note: `${run} executions run and ${sharedRuns} results shared for ${writes} events (docs/graph.md "Live updates", "Sharing")`,
  });

  // Fan-out: a burst of writes, as fast as the database takes them, to every subscriber.
  const burst = 100;
  const ids = Array.from({ length: burst }, () => nextId++);
  const started = performance.now();
  await processes.insertMany(ids.map((id) => ({ bk_process_id: id, bk_biz_id: 2, bk_process_name: `burst-${id}`, bk_supplier_account: "0" })));
  const deadline = Date.now() + 60_000;
  while (!many.every((s) => ids.every((id) => s.arrivals.has(id))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const last = Math.max(...many.flatMap((s) => ids.map((id) => s.arrivals.get(id)?.[0] ?? Number.NaN)));
  const delivered = many.reduce((n, s) => n + ids.filter((id) => s.arrivals.has(id)).length, 0);
  rows.push({
    section: "live",
    measure: "fan-out: events delivered per second (burst of 100 writes × 1,000 subscribers)",
    result: `${Math.round(delivered / ((last - started) / 1000)).toLocaleString("en-US")} events/s`,
    note: `${delivered.toLocaleString("en-US")} of ${(burst * 1000).toLocaleString("en-US")} delivered in ${((last - started) / 1000).toFixed(1)} s`,
  });
  for (const s of many) await s.client.dispose();
  return rows;
}
