import type { Db, MongoClient } from "mongodb";
import pino from "pino";
import { loadConfig } from "../../src/config";
import { CommandRecorder } from "../../src/db/mongo";
import { startProcgraph } from "../../src/server";
import type { BenchRow } from "../lib/report";
import { postGraphQL } from "../lib/server";

export interface RoundTripCase {
  label: string;
  variables: Record<string, unknown>;
}

/**
 * MongoDB commands per request, counted through the driver's command monitoring on an in-process
 * procgraph (the same code path as the served one). The target: a fixed number, the same for
 * every page size, at most `max`. The health sampler is off: it writes on each minute's turn, and
 * its commands would be counted as the request's when a recording spans one.
 */
export async function roundTripSection(client: MongoClient, db: Db, name: string, query: string, cases: RoundTripCase[], max?: number): Promise<BenchRow[]> {
  const config = { ...loadConfig({ PORT: "0", LOG_LEVEL: "silent", SEED_DEMO: "false", HEALTH_HISTORY_INTERVAL: "off", LIMIT_MAX_COST: "100000000", LIMIT_MAX_DEPTH: "50" }), mongodbDb: db.databaseName };
  const server = await startProcgraph(config, { logger: pino({ level: "silent" }), connection: { client, db } });
  try {
    const counts: Array<{ label: string; count: number; commands: string[] }> = [];
    for (const c of cases) {
      await postGraphQL(server.url, query, c.variables); // warm: schema, connection pool
      const recorder = new CommandRecorder(client, db.databaseName);
      await postGraphQL(server.url, query, c.variables);
      recorder.stop();
      counts.push({ label: c.label, count: recorder.commands.length, commands: recorder.summary() });
    }
    const same = counts.every((c) => c.count === counts[0].count);
    const withinMax = max === undefined || counts.every((c) => c.count <= max);
    return [
      {
        section: "round trips",
        measure: `${name}: MongoDB commands per request (${counts.map((c) => c.label).join(" / ")})`,
        result: counts.map((c) => c.count).join(" / "),
        target: max === undefined ? "fixed across sizes" : `fixed, ≤ ${max}`,
        met: same && withinMax,
        note: counts[counts.length - 1].commands.join(", "),
      },
    ];
  } finally {
    await server.stop();
  }
}
