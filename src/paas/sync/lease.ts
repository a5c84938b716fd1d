import { randomUUID } from "node:crypto";
import os from "node:os";
import { MongoServerError, type Db } from "mongodb";

/**
 * One writer per cluster across procgraph instances: a lease document in MongoDB
 * (`procgraph_sync_leases`, `_id` = cluster name). MongoDB rather than a Kubernetes `Lease`
 * because procgraph already writes MongoDB, while its access to the cluster stays read-only (no
 * RBAC verb to create or update anything there). The holder renews it every third of its lifetime;
 * another instance takes it over only after it expired.
 */

export const LEASE_COLLECTION = "procgraph_sync_leases";

interface LeaseDoc {
  _id: string;
  holder: string;
  expires_at: Date;
  renewed_at: Date;
}

export class MongoLease {
  readonly holder = `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly db: Db,
    readonly cluster: string,
    readonly ttlMs: number,
  ) {}

  private get collection() {
    return this.db.collection<LeaseDoc>(LEASE_COLLECTION);
  }

  /** Takes the lease if it is free, expired or ours, and extends it; false when another instance holds it. */
  async acquire(now = new Date()): Promise<boolean> {
    try {
      const doc = await this.collection.findOneAndUpdate(
        { _id: this.cluster, $or: [{ holder: this.holder }, { expires_at: { $lt: now } }] },
        { $set: { holder: this.holder, expires_at: new Date(now.getTime() + this.ttlMs), renewed_at: now } },
        { upsert: true, returnDocument: "after" },
      );
      return doc?.holder === this.holder;
    } catch (error) {
      // The upsert raced with the holder's document: someone else has it.
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }

  async release(): Promise<void> {
    await this.collection.deleteOne({ _id: this.cluster, holder: this.holder });
  }

  async currentHolder(): Promise<string | null> {
    const doc = await this.collection.findOne({ _id: this.cluster });
    return doc && doc.expires_at > new Date() ? doc.holder : null;
  }
}
