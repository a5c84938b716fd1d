import type { Express } from "express";
import type { MongoHealth } from "../db/health";
import type { Metrics } from "../observability/metrics";
import type { ClusterStatus } from "../paas/sync/sync";

/** /readyz answers within a second: this for MongoDB's ping, the rest for HTTP. */
const READY_PING_TIMEOUT_MS = 900;

export interface ProbeSources {
  health: MongoHealth;
  metrics: Metrics;
  /** Each configured Kubernetes cluster's watch state, reported by /readyz. */
  syncStatus?: () => ClusterStatus[];
  /** Graceful shutdown has begun: /readyz answers 503. */
  shuttingDown(): boolean;
}

/**
 * The load balancer's and Prometheus's endpoints: /healthz (the process answers), /readyz (MongoDB
 * answers a ping, the service is not shutting down) and /metrics. None is ever queued behind the
 * admission control.
 */
export function mountProbes(app: Express, sources: ProbeSources): void {
  const { health, metrics, syncStatus } = sources;
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (sources.shuttingDown()) {
      res.status(503).json({ status: "unavailable", reason: "shutting down" });
      return;
    }
    // Within a second, whatever MongoDB does: a load balancer's probe must not hang.
    // Reads stay served while a cluster's watch reconnects: its state is reported, not gated on.
    if (await health.ping(READY_PING_TIMEOUT_MS)) res.json(syncStatus ? { status: "ready", paasSync: syncStatus() } : { status: "ready" });
    else res.status(503).json({ status: "unavailable", reason: `MongoDB does not answer ping within ${READY_PING_TIMEOUT_MS} ms` });
  });
  app.get("/metrics", async (_req, res) => {
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
}
