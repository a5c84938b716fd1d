import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { Registry } from "prom-client";
import { parseAllDocuments } from "yaml";
import { loadKubeconfig } from "../../src/paas/sync/kubeconfig";
import { PaasSync } from "../../src/paas/sync/sync";
import { PaasAppTreeDocument, PaasProcessListDocument } from "../generated/graphql";
import { PROJECT_ROOT } from "../../src/paths";
import { useTestDatabase } from "../helpers/db";
import { describeWithKube, FAKE_NODE_IP, READER_TOKEN, READER_USER, startKubeCluster, type KubeCluster } from "../helpers/kubeCluster";
import { useTestServer } from "../helpers/server";
import { encodeId } from "../helpers/crossModelFixture";
import { record, waitActive, wsClient } from "../helpers/liveClients";

/**
 * The Kubernetes sync against a real API server (etcd, kube-apiserver, controller-manager,
 * scheduler, kwok's fake node): what bk-paas's readers would show for these objects is what
 * procgraph shows (docs/paas.md, "Kubernetes sync").
 */

// A server of its own: its eventual checks must not wait behind another file's load on the shared one.
const database = useTestDatabase({ ownServer: true });
const serverEnv: Record<string, string> = { PAAS_SYNC_LEASE_TTL_MS: "1500" };
let cluster: KubeCluster;

const P = "bkapp.paas.bk.tencent.com";
const NS = "bkapp-shop-stag";

/** A Deployment as bk-paas's operator writes it for a cloud-native app's process. */
function deployment(name: string, type: string, options: { replicas?: number; deployId?: string; code?: string; module?: string; nodeSelector?: Record<string, string> } = {}) {
  const code = options.code ?? "shop";
  const labels = { [`${P}/resource-type`]: "process", [`${P}/code`]: code, [`${P}/module-name`]: options.module ?? "default", [`${P}/environment`]: "stag", [`${P}/process-name`]: type, app: name };
  const annotations = { [`${P}/bkpaas-deploy-id`]: options.deployId ?? "7" };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels, annotations },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels, annotations },
        spec: {
          nodeSelector: options.nodeSelector,
          containers: [
            {
              name: type,
              image: `registry.example/${code}:${options.deployId ?? "7"}`,
              command: ["gunicorn"],
              args: ["wsgi", "-w", "4"],
              resources: { limits: { cpu: "2", memory: "512Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
            },
          ],
        },
      },
    },
  };
}

async function eventually<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(last)?.slice(0, 1500)}`);
}

const counter = async (env: string, kind: string) =>
  ((await database.db.collection("paas_resource_versions").findOne({ _id: `${env}/${kind}` as never })) as { value?: number } | null)?.value ?? 0;

describeWithKube("Kubernetes sync (real kube-apiserver, kwok nodes)", () => {
  beforeAll(async () => {
    cluster = await startKubeCluster();
    serverEnv.PAAS_KUBECONFIG = cluster.kubeconfig;
    await cluster.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  const server = useTestServer(database, serverEnv);

  const rest = async (code: string, env = "stag", module = "default") => {
    // The test database is shared with the other test files: while one of them saturates it (the
    // crash test's 20 clients), an answer may be a transient 503 or 504; the sync is what is tested.
    let res = await server.request(`/api/bkapps/applications/${code}/modules/${module}/envs/${env}/processes/list/`);
    for (const until = Date.now() + 30_000; (res.status === 503 || res.status === 504) && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 200));
      res = await server.request(`/api/bkapps/applications/${code}/modules/${module}/envs/${env}/processes/list/`);
    }
    return { status: res.status, body: (await res.json()) as { processes: { items: Array<Record<string, unknown>>; metadata: { resource_version: string } }; instances: { items: Array<Record<string, unknown>> }; process_packages: Array<Record<string, unknown>> } };
  };
  const pods = async (selector: string) =>
    (await cluster.request<{ items: Array<{ metadata: { name: string; annotations: Record<string, string> }; status: { startTime?: string; hostIP?: string; containerStatuses?: Array<{ restartCount: number }> }; spec: { containers: Array<{ image: string }> } }> }>("GET", `/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items;

  it("reports the cluster's watches on /readyz once listed", async () => {
    const body = await eventually(
      "readyz connected",
      async () => (await (await server.request("/readyz")).json()) as { status: string; paasSync?: Array<{ name: string; role: string; connected: boolean }> },
      (b) => b.paasSync?.[0]?.connected === true,
    );
    expect(body).toMatchObject({ status: "ready", paasSync: [{ name: "test", role: "leader", connected: true }] });
    expect(Object.keys((body.paasSync![0] as unknown as { watches: object }).watches)).toEqual(["deployments", "pods", "horizontalpodautoscalers"]);
  });

  it("mirrors a labelled Deployment and its Pods: processes/list equals what bk-paas's reader computes", async () => {
    await cluster.request("POST", `/apis/apps/v1/namespaces/${NS}/deployments`, deployment("shop--web", "web"));
    const { body } = await eventually("2 running instances", () => rest("shop"), (r) => r.status === 200 && r.body.instances.items.filter((i) => i.state === "Running").length === 2 && r.body.processes.items[0]?.success === 2);

    // What bk-paas's ProcessDeserializer / InstanceDeserializer read from the same objects.
    const live = await pods(`app=shop--web`);
    expect(live).toHaveLength(2);
    expect(body.processes.items).toEqual([
      { module_name: "default", name: "shop--web", type: "web", command: "gunicorn wsgi -w 4", replicas: 2, success: 2, failed: 0, version: 7, cluster_link: "http://shop--web.bkapp-shop-stag" },
    ]);
    const expected = live
      .map((pod) => ({
        module_name: "default",
        name: pod.metadata.name,
        process_type: "web",
        display_name: pod.metadata.name.split("-").pop(),
        image: pod.spec.containers[0].image,
        start_time: pod.status.startTime,
        state: "Running",
        state_message: null,
        rich_status: "Running",
        ready: true,
        restart_count: pod.status.containerStatuses![0].restartCount,
        terminated_info: { exit_code: null, reason: null },
        version: pod.metadata.annotations[`${P}/bkpaas-deploy-id`],
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(body.instances.items).toEqual(expected);
    expect(body.process_packages).toEqual([
      {
        name: "web",
        target_replicas: 2,
        target_status: "start",
        max_replicas: 10,
        resource_limit: { cpu: "2", memory: "512Mi" },
        resource_requests: { cpu: "100m", memory: "128Mi" },
        plan_name: "default",
        resource_limit_quota: { cpu: 2000, memory: 512 },
        autoscaling: false,
        scaling_config: null,
      },
    ]);

    // GraphQL: the same, plus the host IP (the cross-link to CMDB hosts) and the app created from labels.
    const graph = await server.graphql(PaasProcessListDocument, { appCode: "shop", environment: "STAG" });
    expect(graph.errors).toBeUndefined();
    expect(graph.data!.paasProcessList.instances.items.map((i) => [i.name, i.hostIp, i.version])).toEqual(expected.map((e) => [e.name, FAKE_NODE_IP, 7]));
    const tree = await server.graphql(PaasAppTreeDocument, { code: "shop" });
    expect(tree.data!.paasApp).toMatchObject({ code: "shop", name: "shop", type: "CLOUD_NATIVE", language: null, defaultModule: { name: "default" } });
    const stored = await database.db.collection("paas_processes").findOne({ _id: "shop/default/stag/web" as never });
    expect(stored).toMatchObject({ cluster: "test" });
  });

  it("follows scaling: replicas, success and failed (pods that cannot be scheduled fail)", async () => {
    await cluster.request("PATCH", `/apis/apps/v1/namespaces/${NS}/deployments/shop--web/scale`, { spec: { replicas: 3 } }, { contentType: "application/merge-patch+json" });
    await eventually("3 of 3", () => rest("shop"), (r) => r.body.processes.items[0]?.replicas === 3 && r.body.processes.items[0]?.success === 3 && r.body.instances.items.length === 3);

    // A worker whose pods no node accepts: Pending, Unschedulable → bk-paas shows them Failed.
    await cluster.request("POST", `/apis/apps/v1/namespaces/${NS}/deployments`, deployment("shop--worker", "worker", { replicas: 2, nodeSelector: { disk: "none" } }));
    const { body } = await eventually("worker failing", () => rest("shop"), (r) => r.body.instances.items.filter((i) => i.process_type === "worker" && i.state === "Failed").length === 2);
    expect(body.processes.items.find((p) => p.type === "worker")).toMatchObject({ replicas: 2, success: 0, failed: 2 });
    const failing = body.instances.items.find((i) => i.process_type === "worker")!;
    expect(failing).toMatchObject({ state: "Failed", rich_status: "Pending", ready: false, start_time: null, terminated_info: {} });
    expect(String(failing.state_message)).toMatch(/node\(s\) didn't match/);

    await cluster.request("PATCH", `/apis/apps/v1/namespaces/${NS}/deployments/shop--web/scale`, { spec: { replicas: 1 } }, { contentType: "application/merge-patch+json" });
    await eventually("1 of 1", () => rest("shop"), (r) => r.body.processes.items.find((p) => p.type === "web")?.replicas === 1 && r.body.instances.items.filter((i) => i.process_type === "web").length === 1);
  });

  it("sees a killed pod replaced and a crash-looping one with its restarts and last termination", async () => {
    const [victim] = await pods("app=shop--web");
    const before = await counter("shop/default/stag", "instance");
    await cluster.request("DELETE", `/api/v1/namespaces/${NS}/pods/${victim.metadata.name}`);
    const { body } = await eventually("replacement running", () => rest("shop"), (r) => {
      const web = r.body.instances.items.filter((i) => i.process_type === "web");
      return web.length === 1 && web[0].name !== victim.metadata.name && web[0].state === "Running";
    });
    await eventually("instance counter bumped", () => counter("shop/default/stag", "instance"), (n) => n >= before + 2, 5_000);

    // The kubelet's report of a container that keeps crashing, as the status subresource carries it.
    const name = body.instances.items.find((i) => i.process_type === "web")!.name as string;
    const pod = (await cluster.request<{ status: Record<string, unknown> }>("GET", `/api/v1/namespaces/${NS}/pods/${name}`)).body;
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    await cluster.request(
      "PATCH",
      `/api/v1/namespaces/${NS}/pods/${name}/status`,
      {
        status: {
          ...pod.status,
          conditions: [{ type: "Ready", status: "False", lastTransitionTime: now }],
          containerStatuses: [
            {
              name: "web",
              image: "registry.example/shop:7",
              imageID: "",
              ready: false,
              restartCount: 5,
              state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container=web" } },
              lastState: { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: now, finishedAt: now } },
            },
          ],
        },
      },
      { contentType: "application/merge-patch+json" },
    );
    const crashed = await eventually("crash loop seen", () => rest("shop"), (r) => r.body.instances.items.some((i) => i.name === name && i.rich_status === "CrashLoopBackOff"));
    expect(crashed.body.instances.items.find((i) => i.name === name)).toMatchObject({
      state: "Failed",
      state_message: "back-off 2m40s restarting failed container=web",
      rich_status: "CrashLoopBackOff",
      ready: false,
      restart_count: 5,
      terminated_info: { exit_code: 137, reason: "OOMKilled" },
    });
  });

  it("deletes the process, its package and its instances with the Deployment, bumping the counters", async () => {
    const processes = await counter("shop/default/stag", "process");
    const instances = await counter("shop/default/stag", "instance");
    // A dashboard subscribed to the app's processes (docs/graph.md "Live updates").
    const client = wsClient(server.url);
    const events = record(client, "subscription($filter: ProcessFilter) { processEvents(filter: $filter) { type id process { name } } }", { filter: { paasAppCode: "shop" } });
    await waitActive(server.url, 1);
    await cluster.request("DELETE", `/apis/apps/v1/namespaces/${NS}/deployments/shop--worker`);
    const { body } = await eventually("worker gone", () => rest("shop"), (r) => !r.body.processes.items.some((p) => p.type === "worker") && !r.body.instances.items.some((i) => i.process_type === "worker") && r.body.process_packages.length === 1);
    expect(body.process_packages.map((p) => p.name)).toEqual(["web"]);
    // The counters move right after the documents go (each delete counts once).
    await eventually("counters bumped", async () => [await counter("shop/default/stag", "process"), await counter("shop/default/stag", "instance")], ([p, i]) => p > processes && i >= instances + 2, 5_000);
    expect(Number((await rest("shop")).body.processes.metadata.resource_version)).toBe(await counter("shop/default/stag", "process"));
    // The live feed says so: the worker process DELETED, with its id.
    const worker = encodeId("PaasProcess", "shop/default/stag/worker");
    const deleted = () => events.messages.map((m) => (m.data as { processEvents: { type: string; id: string; process: unknown } }).processEvents).filter((e) => e.type === "DELETED");
    await eventually("DELETED on the live feed", async () => deleted(), (list) => list.some((e) => e.id === worker), 10_000);
    expect(deleted().filter((e) => e.id === worker)).toEqual([{ type: "DELETED", id: worker, process: null }]);
    await client.dispose();
  });

  it("takes its package's autoscaling from a HorizontalPodAutoscaler of the same name", async () => {
    await cluster.request("POST", `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`, {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "shop--web" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "shop--web" }, minReplicas: 1, maxReplicas: 4, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }] },
    });
    const { body } = await eventually("autoscaling on", () => rest("shop"), (r) => r.body.process_packages[0]?.autoscaling === true);
    expect(body.process_packages[0]).toMatchObject({ autoscaling: true, scaling_config: { min_replicas: 1, max_replicas: 4, policy: "default" } });
    await cluster.request("DELETE", `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/shop--web`);
    await eventually("autoscaling off", () => rest("shop"), (r) => r.body.process_packages[0]?.autoscaling === false);
  });

  it("works with the README's read-only ClusterRole, after backing off while it was refused", async () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const block = /\*\*Permissions: read-only\.\*\*[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1];
    const [role, binding] = parseAllDocuments(block).map((doc) => doc.toJSON() as { metadata: { name: string }; subjects?: unknown[] });
    expect(role.metadata.name).toBe("procgraph-paas-reader");

    const rbacDb = database.client.db(`${database.db.databaseName}_rbac`);
    const registry = new Registry();
    const sync = new PaasSync({ clusters: loadKubeconfig(cluster.kubeconfig, [{ name: "rbac", context: "reader" }]), db: rbacDb, logger: pino({ level: "silent" }), registry, backoffMinMs: 100, backoffMaxMs: 500 }).start();
    try {
      // No rights yet: every list is refused, retried after a backoff, and /readyz-style status says why.
      const refused = await eventually("refused", async () => sync.status()[0].watches.deployments, (w) => w.state === "backoff" && /^403: /.test(w.lastError ?? ""));
      expect(refused.lastError).toContain(`User "${READER_USER}" cannot list resource "deployments"`);
      await cluster.request("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", role);
      await cluster.request("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", { ...binding, subjects: [{ kind: "User", name: READER_USER, apiGroup: "rbac.authorization.k8s.io" }] });
      expect(await sync.waitForSync(30_000)).toBe(true);
      expect(await rbacDb.collection("paas_processes").find({}, { projection: { _id: 1, cluster: 1 } }).toArray()).toEqual([{ _id: "shop/default/stag/web", cluster: "rbac" }]);
      // Read-only indeed: the same user may not change anything.
      const write = await cluster.request("DELETE", `/apis/apps/v1/namespaces/${NS}/deployments/shop--web`, undefined, { token: READER_TOKEN, allow: [403] });
      expect(write.status).toBe(403);
    } finally {
      await sync.stop();
      await rbacDb.dropDatabase();
    }
  });

  describe("stopped, changed and restarted; 410 Gone; two instances", () => {
    const syncs: PaasSync[] = [];
    const registries: Registry[] = [];
    const newSync = (registry = new Registry(), watchTimeoutSeconds?: number) => {
      const sync = new PaasSync({ clusters: loadKubeconfig(cluster.kubeconfig, []), db: database.db, logger: pino({ level: "silent" }), registry, leaseTtlMs: 1500, watchTimeoutSeconds }).start();
      syncs.push(sync);
      registries.push(registry);
      return sync;
    };
    afterAll(async () => {
      for (const sync of syncs) await sync.stop();
    });
    const metric = async (registry: Registry, name: string, labels: Record<string, string>) => {
      const found = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
      return (found?.values ?? []).filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((sum, v) => sum + v.value, 0);
    };

    it("converges to what changed in the cluster while it was stopped (npm run sync -- k8s --once)", async () => {
      await server.running.paasSync!.stop();
      // While nobody watches: a new app appears, the web process is deleted.
      await cluster.request("POST", `/apis/apps/v1/namespaces/${NS}/deployments`, deployment("cart--web", "web", { code: "cart", replicas: 1 }));
      await cluster.request("DELETE", `/apis/apps/v1/namespaces/${NS}/deployments/shop--web`);
      await eventually("pods of shop--web gone, cart running", async () => [await pods("app=shop--web"), await pods("app=cart--web")], ([shop, cart]) => shop.length === 0 && cart.length === 1 && cart[0].status.startTime !== undefined, 60_000);
      // Nothing synced the deletion: the list still has the web process (a busy shared test database
      // may answer one request with a transient 503; the next answers).
      await eventually("the list before the pass", () => rest("shop"), (r) => r.status === 200 && r.body.processes.items.length === 1, 10_000);

      const build = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: PROJECT_ROOT, encoding: "utf8" });
      expect(build.status).toBe(0);
      const once = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "src", "paas", "sync", "command.js"), "k8s", "--kubeconfig", cluster.kubeconfig, "--context", "test", "--once", "--timeout", "60"], {
        env: { ...process.env, MONGODB_URI: database.uri, MONGODB_DB: database.db.databaseName, LOG_LEVEL: "info" },
        encoding: "utf8",
        timeout: 90_000,
      });
      const lines = once.stdout.trim().split("\n");
      // The result line (pino's JSON log lines may be flushed after it).
      expect({ status: once.status, result: lines.filter((l) => !l.startsWith("{")) }).toEqual({ status: 0, result: ["synced: test: leader"] });
      // One log line per list, saying what and why.
      const relists = lines.filter((l) => l.startsWith("{")).map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => m.includes("and reconciled"));
      expect(relists.sort()).toEqual([
        "paas sync: listed 0 horizontalpodautoscalers (start) and reconciled",
        "paas sync: listed 1 deployments (start) and reconciled",
        "paas sync: listed 1 pods (start) and reconciled",
      ]);
      const shop = await rest("shop");
      expect([shop.body.processes.items, shop.body.instances.items, shop.body.process_packages]).toEqual([[], [], []]);
      const cart = await rest("cart");
      expect(cart.body.processes.items.map((p) => [p.name, p.replicas])).toEqual([["cart--web", 1]]);
      expect(cart.body.instances.items).toHaveLength(1);
    });

    it("recovers from a compacted resource version (410 Gone) with a re-list", async () => {
      const registry = new Registry();
      const sync = newSync(registry, 2);
      expect(await sync.waitForSync(30_000)).toBe(true);
      expect(await metric(registry, "procgraph_paas_sync_relists_total", { reason: "start" })).toBe(3);
      // Writes the deployments watch does not see, then a compaction past its resource version;
      // the server ends the watch within 2 s and the resumed one is told 410.
      for (let i = 0; i < 3; i++) await cluster.request("POST", `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `filler-${i}` } });
      await cluster.compact();
      await eventually("a re-list for 410 Gone", () => metric(registry, "procgraph_paas_sync_relists_total", { resource: "deployments", reason: "410 Gone" }), (n) => n >= 1, 15_000);
      await cluster.request("PATCH", `/apis/apps/v1/namespaces/${NS}/deployments/cart--web/scale`, { spec: { replicas: 2 } }, { contentType: "application/merge-patch+json" });
      await eventually("cart scaled after the 410", () => rest("cart"), (r) => r.body.processes.items[0]?.replicas === 2 && r.body.instances.items.length === 2);
      expect(await metric(registry, "procgraph_paas_sync_watch_restarts_total", { resource: "deployments", reason: "gone" })).toBeGreaterThanOrEqual(1);
      expect(sync.status()[0].watches.deployments.state).toBe("watching");
    });

    it("runs one writer per cluster: a second instance stands by, then takes over", async () => {
      const first = syncs[0];
      const secondRegistry = new Registry();
      const second = newSync(secondRegistry);
      await new Promise((r) => setTimeout(r, 2000));
      expect(second.status()[0].role).toBe("standby");

      const before = await counter("cart/default/stag", "process");
      await cluster.request("PATCH", `/apis/apps/v1/namespaces/${NS}/deployments/cart--web/scale`, { spec: { replicas: 3 } }, { contentType: "application/merge-patch+json" });
      await eventually("cart at 3", () => rest("cart"), (r) => r.body.processes.items[0]?.success === 3);
      await new Promise((r) => setTimeout(r, 500));
      const bumps = (await counter("cart/default/stag", "process")) - before;
      // Each Deployment change was written once: by the leader, never by the one standing by.
      expect(await metric(secondRegistry, "procgraph_paas_sync_objects_total", {})).toBe(0);
      expect(bumps).toBeGreaterThanOrEqual(1);

      await first.stop();
      await eventually("second takes over", async () => second.status()[0], (s) => s.role === "leader" && s.connected);
      await cluster.request("PATCH", `/apis/apps/v1/namespaces/${NS}/deployments/cart--web/scale`, { spec: { replicas: 1 } }, { contentType: "application/merge-patch+json" });
      await eventually("cart at 1 via the second", () => rest("cart"), (r) => r.body.processes.items[0]?.replicas === 1 && r.body.instances.items.length === 1);
      expect(await metric(secondRegistry, "procgraph_paas_sync_objects_total", { kind: "process" })).toBeGreaterThan(0);
    });
  });
});
