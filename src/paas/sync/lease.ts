import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Db } from "mongodb";
import { PaasWriter } from "../providers/writer";

/**
 * One writer per cluster across procgraph instances: a lease document in MongoDB
 * (`procgraph_sync_leases`, `_id` = cluster name), kept through `PaasWriter`. MongoDB rather than a
 * Kubernetes `Lease` because procgraph already writes MongoDB, while its access to the cluster
 * stays read-only (no RBAC verb to create or update anything there). The holder renews it every
 * third of its lifetime; another instance takes it over only after it expired.
 */
export class MongoLease {
  readonly holder = `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly writer: PaasWriter;

  constructor(
    db: Db,
    readonly cluster: string,
    readonly ttlMs: number,
  ) {
    this.writer = new PaasWriter(db);
  }

  /** Takes the lease if it is free, expired or ours, and extends it; false when another instance holds it. */
  acquire(now = new Date()): Promise<boolean> {
    return this.writer.takeLease(this.cluster, this.holder, now, this.ttlMs);
  }

  release(): Promise<void> {
    return this.writer.releaseLease(this.cluster, this.holder);
  }
}
