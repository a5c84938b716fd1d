import type { Db } from "mongodb";
import pino from "pino";
import { loadKubeconfig } from "../../src/paas/sync/kubeconfig";
import { PaasSync } from "../../src/paas/sync/sync";
import { kubeUnavailableReason, startKubeCluster, type KubeCluster } from "../../test/helpers/kubeCluster";
import type { BenchRow } from "../lib/report";
import { postGraphQL, startProcgraphChild } from "../lib/server";
import { percentile } from "../lib/stats";

/**
 * The Kubernetes sync on a kwok cluster: how fast a first list of `deployments` Deployments and
 * their Pods becomes documents in MongoDB (objects per second), and how long a Pod change takes
 * to be visible through GraphQL (p50/p99 over `samples` changes, each awaited before the next).
 */

const P = "bkapp.paas.bk.tencent.com";
const NAMESPACE_COUNT = 10;

function deployment(app: number, replicas: number) {
  const code = `app-${app}`;
  const labels = { [`${P}/resource-type`]: "process", [`${P}/code`]: code, [`${P}/module-name`]: "default", [`${P}/environment`]: "prod", [`${P}/process-name`]: "web", app: code };
  const annotations = { [`${P}/bkpaas-deploy-id`]: "1" };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `${code}--web`, labels, annotations },
    spec: { replicas, selector: { matchLabels: { app: code } }, template: { metadata: { labels, annotations }, spec: { containers: [{ name: "web", image: `registry.example/${code}:1` }] } } },
  };
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

async function runningPods(cluster: KubeCluster): Promise<number> {
  let count = 0;
  let next: string | undefined;
  do {
    const page = await cluster.request<{ items: unknown[]; metadata: { continue?: string } }>(
      "GET",
      `/api/v1/pods?fieldSelector=status.phase%3DRunning&limit=1000${next ? `&continue=${encodeURIComponent(next)}` : ""}`,
    );
    count += page.body.items.length;
    next = page.body.metadata.continue || undefined;
  } while (next);
  return count;
}

export async function syncSection(mongodbUri: string, db: Db, options: { deployments: number; podsPerDeployment: number; samples: number }): Promise<BenchRow[]> {
  const reason = kubeUnavailableReason();
  const label = `${options.deployments} Deployments, ${options.deployments * options.podsPerDeployment} Pods (kwok)`;
  if (reason) return [{ section: "sync", measure: label, result: `not run: ${reason}` }];
  const pods = options.deployments * options.podsPerDeployment;
  const cluster = await startKubeCluster({ maxPods: pods + 100 });
  try {
    const namespaces = Array.from({ length: NAMESPACE_COUNT }, (_, i) => `bench-${i}`);
    for (const name of namespaces) await cluster.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    const started = Date.now();
    await inBatches(Array.from({ length: options.deployments }, (_, i) => i), 20, (i) =>
      cluster.request("POST", `/apis/apps/v1/namespaces/${namespaces[i % NAMESPACE_COUNT]}/deployments`, deployment(i, options.podsPerDeployment)),
    );
    const deadline = Date.now() + 30 * 60_000;
    let running = 0;
    while ((running = await runningPods(cluster)) < pods) {
      if (Date.now() > deadline) throw new Error(`only ${running} of ${pods} pods running after 30 min`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    const clusterSeconds = (Date.now() - started) / 1000;
    process.stderr.write(`[bench sync] cluster: ${options.deployments} Deployments, ${pods} Pods running in ${clusterSeconds.toFixed(0)} s\n`);

    // Throughput: a first list of everything, written into an empty database.
    await db.dropDatabase();
    const registryless = { clusters: loadKubeconfig(cluster.kubeconfig, []), db, logger: pino({ level: "warn" }), leaseTtlMs: 15_000 };
    const t0 = performance.now();
    const sync = new PaasSync(registryless).start();
    try {
      if (!(await sync.waitForSync(20 * 60_000))) throw new Error("the first list did not finish in 20 min");
      const seconds = (performance.now() - t0) / 1000;
      const documents = (await db.collection("paas_processes").countDocuments()) + (await db.collection("paas_process_specs").countDocuments()) + (await db.collection("paas_instances").countDocuments());
      const objects = options.deployments + pods;
      const rows: BenchRow[] = [
        {
          section: "sync",
          measure: `first list → MongoDB, ${label}`,
          result: `${(objects / seconds).toFixed(0)} objects/s`,
          note: `${objects} Kubernetes objects → ${documents} documents (processes, packages, instances; plus apps, modules, environments) in ${seconds.toFixed(1)} s`,
        },
      ];

      // Lag: a Pod's status changes (its restart count), then GraphQL is polled until it shows it.
      const server = await startProcgraphChild(mongodbUri, db.databaseName);
      try {
        const query = `query Lag($code: String!) { paasProcessList(appCode: $code, environment: PROD) { instances { items { name restartCount } } } }`;
        const lags: number[] = [];
        for (let i = 1; i <= options.samples; i++) {
          const app = (i * 7919) % options.deployments;
          const ns = namespaces[app % NAMESPACE_COUNT];
          const list = await cluster.request<{ items: Array<{ metadata: { name: string }; status: Record<string, unknown> & { containerStatuses?: Array<Record<string, unknown>> } }> }>(
            "GET",
            `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`app=app-${app}`)}`,
          );
          const pod = list.body.items[0];
          const restarts = 1000 + i;
          const statuses = (pod.status.containerStatuses ?? [{ name: "web", image: `registry.example/app-${app}:1`, imageID: "", ready: true, state: { running: {} } }]).map((c) => ({ ...c, restartCount: restarts }));
          const changed = performance.now();
          await cluster.request("PATCH", `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, { status: { containerStatuses: statuses } }, { contentType: "application/merge-patch+json" });
          const limit = changed + 30_000;
          for (;;) {
            const data = await postGraphQL<{ paasProcessList: { instances: { items: Array<{ name: string; restartCount: number }> } } }>(server.url, query, { code: `app-${app}` });
            if (data.paasProcessList.instances.items.some((item) => item.name === pod.metadata.name && item.restartCount === restarts)) break;
            if (performance.now() > limit) throw new Error(`pod ${pod.metadata.name}: change not visible in 30 s`);
            await new Promise((r) => setTimeout(r, 2));
          }
          lags.push(performance.now() - changed);
        }
        rows.push({
          section: "sync",
          measure: `Pod change → visible in GraphQL, ${label}`,
          result: `p50 ${percentile(lags, 50).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms`,
          note: `${options.samples} status changes one after another, from the PATCH's answer to the first GraphQL answer that shows it (polled every ~2 ms)`,
        });
      } finally {
        await server.stop();
      }
      return rows;
    } finally {
      await sync.stop();
    }
  } finally {
    await cluster.stop();
  }
}
