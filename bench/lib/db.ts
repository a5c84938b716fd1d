import path from "node:path";
import { MongoClient, type Db } from "mongodb";
import pino from "pino";
import { loadConfig } from "../../src/config";
import { startEmbeddedServer, type EmbeddedServer } from "../../src/db/embedded/launcher";
import { connectMongo } from "../../src/db/mongo";
import type { SeedDeps } from "../../src/modules/types";
import { PROJECT_ROOT } from "../../src/paths";
import { createProgressReporter } from "../../src/seed/progress";

export interface BenchDatabase {
  uri: string;
  client: MongoClient;
  /**
   * The floors' client: the driver with its defaults, as a hand-written program would use it.
   * procgraph's client monitors commands (its metrics and health watch), which costs the driver a
   * decode of every reply; the floor does not pay for procgraph's observability.
   */
  floorClient: MongoClient;
  description: string;
  serverVersion: string;
  close(): Promise<void>;
}

/**
 * MONGODB_URI when set (a real mongod), else the project's SecantusDB with its files in
 * .data/bench, so that large datasets are seeded once and reused by later runs.
 */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  let embedded: EmbeddedServer | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedServer({ projectRoot: PROJECT_ROOT, storageDir: path.join(PROJECT_ROOT, ".data", "bench", "secantus"), log: (l) => process.stderr.write(`${l}\n`) });
    uri = embedded.uri;
  }
  const { client } = await connectMongo(uri, "admin", { appName: "procgraph-bench", serverSelectionTimeoutMS: 10_000 });
  const floorClient = new MongoClient(uri, { appName: "procgraph-bench-floor" });
  await floorClient.connect();
  const buildInfo = await client.db("admin").command({ buildInfo: 1 });
  return {
    uri,
    client,
    floorClient,
    description: embedded?.description ?? "MongoDB at MONGODB_URI",
    serverVersion: String(buildInfo.version),
    async close() {
      await client.close();
      await floorClient.close();
      await embedded?.stop();
    },
  };
}

export interface Dataset {
  /** Database name, e.g. bench_paas_50. */
  name: string;
  /** What the data is; a change reseeds. */
  spec: Record<string, unknown>;
  seed(deps: SeedDeps): Promise<void>;
}

export interface DatasetState {
  db: Db;
  /** How long seeding took, when it was seeded (this run or an earlier one that recorded it). */
  seededSeconds?: number;
  seededAt?: Date;
  reused: boolean;
}

/** Seeds a dataset unless the database already holds exactly it; the seeding time is kept with it. */
export async function ensureDataset(bench: BenchDatabase, dataset: Dataset): Promise<DatasetState> {
  const db = bench.client.db(dataset.name);
  const meta = db.collection<{ _id: string; spec: string; seededSeconds?: number; seededAt?: Date }>("bench_meta");
  const wanted = JSON.stringify(dataset.spec);
  const existing = await meta.findOne({ _id: "dataset" });
  if (existing?.spec === wanted) return { db, seededSeconds: existing.seededSeconds, seededAt: existing.seededAt, reused: true };
  await db.dropDatabase();
  const startedAt = Date.now();
  const config = { ...loadConfig({ LOG_LEVEL: "warn" }), mongodbDb: dataset.name };
  await dataset.seed({ config, client: bench.client, db, logger: pino({ level: "warn" }), progress: createProgressReporter(process.stderr) });
  const seededSeconds = (Date.now() - startedAt) / 1000;
  const seededAt = new Date();
  await meta.insertOne({ _id: "dataset", spec: wanted, seededSeconds, seededAt });
  return { db, seededSeconds, seededAt, reused: false };
}
