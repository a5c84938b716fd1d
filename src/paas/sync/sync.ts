import type { Db } from "mongodb";
import type { Logger } from "pino";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { ensurePaasIndexes } from "../indexes";
import { PaasWriter } from "../providers/writer";
import { Informer, type InformerState } from "./informer";
import { KubeClient, type KubeObject } from "./kubeClient";
import type { ClusterCredentials } from "./kubeconfig";
import { MongoLease } from "./lease";
import { PROCESS_SELECTOR, type HorizontalPodAutoscaler } from "./mapping";
import { ClusterMirror } from "./mirror";

/**
 * The Kubernetes sync: for each configured cluster, take the cluster's lease, then list-then-watch
 * its bk-paas Deployments, Pods and HorizontalPodAutoscalers into the PaaS collections
 * (docs/paas.md, "Kubernetes sync"). An instance that does not hold a cluster's lease stands by
 * and tries again; one that loses it stops writing.
 */

export interface SyncOptions {
  clusters: ClusterCredentials[];
  db: Db;
  logger: Logger;
  registry?: Registry;
  leaseTtlMs?: number;
  watchTimeoutSeconds?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

export const SYNC_KINDS = ["deployments", "pods", "horizontalpodautoscalers"] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

const RESOURCES: Record<SyncKind, { path: string; labelSelector?: string }> = {
  deployments: { path: "/apis/apps/v1/deployments", labelSelector: PROCESS_SELECTOR },
  pods: { path: "/api/v1/pods", labelSelector: PROCESS_SELECTOR },
  // Autoscalers are matched to Deployments by their target, not by labels.
  horizontalpodautoscalers: { path: "/apis/autoscaling/v2/horizontalpodautoscalers" },
};

export interface ClusterStatus {
  name: string;
  server: string;
  /** `leader`: this instance writes the cluster; `standby`: another one holds its lease. */
  role: "leader" | "standby" | "stopped";
  /** Every kind listed and its watch open. */
  connected: boolean;
  watches: Record<SyncKind, { state: InformerState; synced: boolean; lastError: string | null }>;
}

class SyncMetrics {
  readonly objects: Counter<"cluster" | "kind" | "op">;
  readonly relists: Counter<"cluster" | "resource" | "reason">;
  readonly watchRestarts: Counter<"cluster" | "resource" | "reason">;
  readonly lag: Histogram<"cluster" | "resource">;
  readonly connected: Gauge<"cluster">;

  constructor(registry: Registry | undefined, status: () => ClusterStatus[]) {
    const registers = registry ? [registry] : [];
    this.objects = new Counter({
      name: "procgraph_paas_sync_objects_total",
      help: "Documents the Kubernetes sync wrote (upsert) or deleted, by cluster and kind (process, spec, instance).",
      labelNames: ["cluster", "kind", "op"],
      registers,
    });
    this.relists = new Counter({
      name: "procgraph_paas_sync_relists_total",
      help: "Full lists (with reconciliation) by cluster, resource and reason (start, 410 Gone).",
      labelNames: ["cluster", "resource", "reason"],
      registers,
    });
    this.watchRestarts = new Counter({
      name: "procgraph_paas_sync_watch_restarts_total",
      help: "Watches started again, by reason: closed by the server, error (after a backoff), gone (410, a re-list follows).",
      labelNames: ["cluster", "resource", "reason"],
      registers,
    });
    this.lag = new Histogram({
      name: "procgraph_paas_sync_lag_seconds",
      help: "From a watch event's arrival to its documents being written to MongoDB.",
      labelNames: ["cluster", "resource"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.connected = new Gauge({
      name: "procgraph_paas_sync_connected",
      help: "1 while this instance writes the cluster and all its watches are open.",
      labelNames: ["cluster"],
      registers,
      collect: () => {
        for (const cluster of status()) this.connected.set({ cluster: cluster.name }, cluster.connected ? 1 : 0);
      },
    });
  }
}

class ClusterSync {
  private readonly client: KubeClient;
  private readonly lease: MongoLease;
  private readonly mirror: ClusterMirror;
  private informers: Informer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private tick: Promise<void> = Promise.resolve();
  role: ClusterStatus["role"] = "standby";

  constructor(
    private readonly credentials: ClusterCredentials,
    private readonly options: SyncOptions,
    private readonly metrics: SyncMetrics,
  ) {
    this.client = new KubeClient(credentials);
    this.lease = new MongoLease(options.db, credentials.name, options.leaseTtlMs ?? 15_000);
    this.mirror = new ClusterMirror(credentials.name, new PaasWriter(options.db), {
      written: (kind, op, count) => count > 0 && metrics.objects.inc({ cluster: credentials.name, kind, op }, count),
    });
  }

  private get log(): Logger {
    return this.options.logger.child({ cluster: this.credentials.name });
  }

  start(): void {
    const every = Math.max(200, Math.floor(this.lease.ttlMs / 3));
    const run = () => {
      this.tick = this.tick.then(() => this.renew());
    };
    run();
    this.timer = setInterval(run, every);
  }

  /** Takes or renews the lease; starts the watches on gaining it, stops them on losing it. */
  private async renew(): Promise<void> {
    if (this.stopping) return;
    let held: boolean;
    try {
      held = await this.lease.acquire();
    } catch (error) {
      this.log.warn({ err: error }, "paas sync: the lease cannot be renewed (MongoDB): writing stops until it can");
      held = false;
    }
    if (held && this.role !== "leader") {
      this.role = "leader";
      this.log.info("paas sync: lease taken, listing the cluster");
      await this.startWatches().catch((err) => {
        this.log.warn({ err }, "paas sync: cannot load what this cluster wrote before");
        this.role = "standby";
      });
    } else if (!held && this.role === "leader") {
      this.log.warn("paas sync: lease lost, another instance writes this cluster now");
      this.role = "standby";
      await this.stopWatches();
    }
  }

  private async startWatches(): Promise<void> {
    // A database the seeder never touched has no indexes yet; the lists need them as soon as documents arrive.
    await ensurePaasIndexes(this.options.db);
    await this.mirror.load();
    const name = this.credentials.name;
    const handlers: Record<SyncKind, { list(items: KubeObject[]): Promise<void>; event(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): Promise<void> }> = {
      deployments: { list: (items) => this.mirror.deploymentList(items), event: (t, o) => this.mirror.deploymentEvent(t, o) },
      pods: { list: (items) => this.mirror.podList(items), event: (t, o) => this.mirror.podEvent(t, o) },
      horizontalpodautoscalers: { list: (items) => this.mirror.hpaList(items as HorizontalPodAutoscaler[]), event: (t, o) => this.mirror.hpaEvent(t, o as HorizontalPodAutoscaler) },
    };
    this.informers = SYNC_KINDS.map((kind) => {
      const handler = handlers[kind];
      return new Informer(
        kind,
        this.client,
        RESOURCES[kind],
        {
          onList: (items) => handler.list(items),
          onEvent: async (type, object) => {
            const started = performance.now();
            await handler.event(type, object);
            this.metrics.lag.observe({ cluster: name, resource: kind }, (performance.now() - started) / 1000);
          },
          onRelist: (reason, count) => {
            this.metrics.relists.inc({ cluster: name, resource: kind, reason });
            this.log.info({ resource: kind, reason, objects: count }, `paas sync: listed ${count} ${kind} (${reason}) and reconciled`);
          },
          onWatchRestart: (reason) => this.metrics.watchRestarts.inc({ cluster: name, resource: kind, reason }),
          onError: (err, delayMs) => this.log.warn({ resource: kind, err: err.message, retryInMs: delayMs }, "paas sync: API error, retrying"),
        },
        { watchTimeoutSeconds: this.options.watchTimeoutSeconds, backoffMinMs: this.options.backoffMinMs, backoffMaxMs: this.options.backoffMaxMs },
      );
    });
    for (const informer of this.informers) informer.start();
  }

  private async stopWatches(): Promise<void> {
    const informers = this.informers;
    this.informers = [];
    await Promise.all(informers.map((informer) => informer.stop()));
  }

  /** True once every kind has been listed and written. */
  get synced(): boolean {
    return this.informers.length === SYNC_KINDS.length && this.informers.every((i) => i.synced);
  }

  status(): ClusterStatus {
    const watches = Object.fromEntries(
      SYNC_KINDS.map((kind) => {
        const informer = this.informers.find((i) => i.kind === kind);
        return [kind, { state: informer?.state ?? "stopped", synced: informer?.synced ?? false, lastError: informer?.lastError ?? null }];
      }),
    ) as ClusterStatus["watches"];
    return {
      name: this.credentials.name,
      server: this.credentials.server,
      role: this.stopping ? "stopped" : this.role,
      connected: this.role === "leader" && Object.values(watches).every((w) => w.state === "watching"),
      watches,
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.tick;
    await this.stopWatches();
    if (this.role === "leader") await this.lease.release().catch(() => undefined);
    this.role = "stopped";
    this.client.close();
  }
}

export class PaasSync {
  private readonly clusters: ClusterSync[];

  constructor(options: SyncOptions) {
    const metrics = new SyncMetrics(options.registry, () => this.status());
    this.clusters = options.clusters.map((credentials) => new ClusterSync(credentials, options, metrics));
  }

  start(): this {
    for (const cluster of this.clusters) cluster.start();
    return this;
  }

  status(): ClusterStatus[] {
    return this.clusters.map((cluster) => cluster.status());
  }

  /** Resolves once every cluster this instance leads has been listed (bounded by `timeoutMs`). */
  async waitForSync(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.clusters.every((c) => c.role === "leader" && c.synced)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clusters.map((cluster) => cluster.stop()));
  }
}
