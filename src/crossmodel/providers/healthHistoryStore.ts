import { MongoServerError, type Collection, type Db } from "mongodb";
import type { QueryOptions } from "../../db/health";

/** procgraph's own collection of health samples (docs/dashboards.md, "Health history"). */
export const HEALTH_HISTORY = "procgraph_health_history";
const TTL_INDEX = "time_ttl";

/** Health counts as `[total, healthy, unhealthy, stopped, unknown]`: a sample holds many. */
export type HealthTuple = [number, number, number, number, number];

/**
 * One sample: the counts of every app and the CMDB process count of every business at the start of
 * one interval slot. `_id` is the slot's start (epoch ms): one sample per slot, whoever writes it.
 */
export interface HealthSampleDoc {
  _id: number;
  /** The slot's start again, as a date: what the TTL index expires on. */
  time: Date;
  /** When the aggregations ran (a little after the slot's start). */
  sampledAt: Date;
  /** Every PaaS app: code, the business it was linked to (or null), its processes' health. */
  apps: Array<{ k: string; b: number | null; h: HealthTuple }>;
  /** CMDB processes per business (`k` null: processes without a business). */
  businesses: Array<{ k: number | null; n: number }>;
}

export class HealthHistoryStore {
  constructor(private readonly db: Db) {}

  private get collection(): Collection<HealthSampleDoc> {
    return this.db.collection<HealthSampleDoc>(HEALTH_HISTORY);
  }

  /**
   * The TTL index that expires samples after the retention. A retention changed since the index was
   * made is applied by making the index again (MongoDB refuses a second index on the same key).
   */
  async ensureIndexes(retentionMs: number): Promise<void> {
    const expireAfterSeconds = Math.ceil(retentionMs / 1000);
    const existing = await this.collection
      .listIndexes()
      .toArray()
      .catch((error: unknown) => {
        if (error instanceof MongoServerError && error.codeName === "NamespaceNotFound") return [];
        throw error;
      });
    const ttl = existing.find((index) => index.name === TTL_INDEX);
    if (ttl && ttl.expireAfterSeconds !== expireAfterSeconds) await this.collection.dropIndex(TTL_INDEX);
    if (!ttl || ttl.expireAfterSeconds !== expireAfterSeconds) {
      await this.collection.createIndex({ time: 1 }, { name: TTL_INDEX, expireAfterSeconds });
    }
  }

  async has(slot: number): Promise<boolean> {
    return (await this.collection.findOne({ _id: slot }, { projection: { _id: 1 } })) !== null;
  }

  /** Writes a slot's sample; false when another instance wrote it first (the `_id` is the slot). */
  async insert(sample: HealthSampleDoc): Promise<boolean> {
    try {
      await this.collection.insertOne(sample);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }

  /** Deletes the samples before `oldest` (the TTL monitor does too, but only once a minute, and not on every MongoDB-wire server). */
  async trim(oldest: number): Promise<number> {
    return (await this.collection.deleteMany({ _id: { $lt: oldest } })).deletedCount;
  }

  /**
   * The last sample of every step-long bucket in `[from, to]`, by time: the grouping runs in MongoDB,
   * so at most one sample per bucket reaches Node.
   */
  lastPerBucket(from: number, to: number, stepMs: number, options: QueryOptions): Promise<Array<Pick<HealthSampleDoc, "apps" | "businesses"> & { bucket: number }>> {
    return this.collection
      .aggregate<Pick<HealthSampleDoc, "apps" | "businesses"> & { bucket: number }>(
        [
          { $match: { _id: { $gte: from, $lte: to } } },
          { $sort: { _id: -1 } },
          { $group: { _id: { $subtract: ["$_id", { $mod: ["$_id", stepMs] }] }, apps: { $first: "$apps" }, businesses: { $first: "$businesses" } } },
          { $sort: { _id: 1 } },
          { $project: { _id: 0, bucket: "$_id", apps: 1, businesses: 1 } },
        ],
        options,
      )
      .toArray();
  }
}
