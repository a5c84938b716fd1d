import { isDeepStrictEqual } from "node:util";
import type { InstanceDoc, ProcessDoc, ProcessSpecDoc } from "../collections";
import type { PaasWriter } from "../providers/writer";
import { childId } from "../ids";
import type { KubeObject } from "./kubeClient";
import { mapDeployment, mapPod, type EnvKey, type HorizontalPodAutoscaler } from "./mapping";

/**
 * One cluster's objects as procgraph's documents, written through `PaasWriter` (so every create,
 * update or delete of a process or an instance bumps its counter, as for any write). It remembers
 * what it wrote, so an unchanged object writes nothing (a re-list of a quiet cluster moves no
 * counter), and a new list deletes exactly what this cluster no longer has. A list is written in
 * batches (`PaasWriter.replaceBatch`: one bulkWrite per collection and one for the counters).
 */

type Written<T> = Map<string, T>;

export interface MirrorCounters {
  written(kind: "process" | "spec" | "instance", op: "upsert" | "delete", count: number): void;
}

const key = (object: KubeObject) => `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
export class ClusterMirror {
  private processes: Written<ProcessDoc> = new Map();
  private specs: Written<ProcessSpecDoc> = new Map();
  private instances: Written<InstanceDoc> = new Map();
  /** Deployment (namespace/name) → the process and spec ids it produced. */
  private readonly byDeployment = new Map<string, string>();
  private readonly byPod = new Map<string, string>();
  private readonly deployments = new Map<string, KubeObject>();
  private readonly hpas = new Map<string, HorizontalPodAutoscaler>();
  private readonly ensured = new Map<string, Promise<void>>();
  private readonly locks: Record<"deployments" | "pods", Promise<void>> = { deployments: Promise.resolve(), pods: Promise.resolve() };

  constructor(
    readonly cluster: string,
    private readonly writer: PaasWriter,
    private readonly counters: MirrorCounters,
  ) {}

  /** Loads what an earlier run wrote for this cluster: the base the first list is compared with. */
  async load(): Promise<void> {
    const owned = await this.writer.ownedBy(this.cluster);
    this.processes = new Map(owned.processes.map((d) => [d._id, d]));
    this.specs = new Map(owned.specs.map((d) => [d._id, d]));
    this.instances = new Map(owned.instances.map((d) => [d._id, d]));
  }

  /**
   * Writes of one kind run one batch at a time: the Deployment and HPA informers both write
   * processes and packages, and a list's batch must not interleave with an event's write.
   */
  private exclusive(kind: "deployments" | "pods", work: () => Promise<void>): Promise<void> {
    const next = this.locks[kind].then(work, work);
    this.locks[kind] = next.catch(() => undefined);
    return next;
  }

  /** Once per environment (and at most one attempt at a time): concurrent upserts of one new key could collide. */
  private ensureEnv(env: EnvKey): Promise<void> {
    let ensured = this.ensured.get(env.envId);
    if (!ensured) {
      ensured = (async () => {
        // Display name and language are unknown here: the app shows its code until the bk-paas API or an operator writes them.
        await this.writer.ensureApp({ code: env.appCode, name: env.appCode, type: env.appType, language: null, region: null });
        await this.writer.ensureModule({ app_code: env.appCode, name: env.moduleName, is_default: env.moduleName === "default", language: null });
        await this.writer.ensureEnv(env.appCode, env.moduleName, { environment: env.environment });
      })();
      this.ensured.set(env.envId, ensured);
      ensured.catch(() => this.ensured.delete(env.envId));
    }
    return ensured;
  }

  private async ensureEnvs(envs: EnvKey[]): Promise<void> {
    const unique = new Map(envs.map((env) => [env.envId, env]));
    await inParallel([...unique.values()], (env) => this.ensureEnv(env), 8);
  }

  /** Writes what changed for these Deployments (and deletes what they no longer produce), in batches. */
  private async applyDeployments(keys: Iterable<string>, alsoDrop: Iterable<string> = []): Promise<void> {
    const processes: ProcessDoc[] = [];
    const specs: ProcessSpecDoc[] = [];
    const drop = new Set(alsoDrop);
    const envs: EnvKey[] = [];
    const produced = new Map<string, string | undefined>();
    for (const k of keys) {
      const deployment = this.deployments.get(k);
      const mapped = deployment ? mapDeployment(deployment, this.hpas.get(k), this.cluster) : null;
      const previous = this.byDeployment.get(k);
      const id = mapped ? childId(mapped.env.envId, mapped.process.type) : undefined;
      if (previous !== undefined && previous !== id) drop.add(previous);
      produced.set(k, id);
      if (!mapped || !id) continue;
      envs.push(mapped.env);
      drop.delete(id);
      const process: ProcessDoc = { _id: id, ...mapped.process };
      const spec: ProcessSpecDoc = { _id: id, ...mapped.spec };
      if (!isDeepStrictEqual(this.processes.get(id), process)) processes.push(process);
      if (!isDeepStrictEqual(this.specs.get(id), spec)) specs.push(spec);
    }
    await this.ensureEnvs(envs);
    for (const batch of chunks(processes.length >= specs.length ? processes.length : specs.length)) {
      await this.writer.replaceBatch({ processes: processes.slice(batch.from, batch.to), specs: specs.slice(batch.from, batch.to) });
    }
    for (const doc of processes) this.processes.set(doc._id, doc);
    for (const doc of specs) this.specs.set(doc._id, doc);
    this.counters.written("process", "upsert", processes.length);
    this.counters.written("spec", "upsert", specs.length);
    const dropProcesses = [...drop].filter((id) => this.processes.has(id));
    const dropSpecs = [...drop].filter((id) => this.specs.has(id));
    if (dropProcesses.length + dropSpecs.length > 0) {
      await this.writer.deleteBatch({ processes: dropProcesses, specs: dropSpecs });
      for (const id of dropProcesses) this.processes.delete(id);
      for (const id of dropSpecs) this.specs.delete(id);
      this.counters.written("process", "delete", dropProcesses.length);
      this.counters.written("spec", "delete", dropSpecs.length);
    }
    for (const [k, id] of produced) {
      if (id) this.byDeployment.set(k, id);
      else this.byDeployment.delete(k);
    }
  }

  private async applyPods(pods: Map<string, KubeObject | undefined>, alsoDrop: Iterable<string> = []): Promise<void> {
    const instances: InstanceDoc[] = [];
    const drop = new Set(alsoDrop);
    const envs: EnvKey[] = [];
    const produced = new Map<string, string | undefined>();
    for (const [k, pod] of pods) {
      const mapped = pod ? mapPod(pod, this.cluster) : null;
      const previous = this.byPod.get(k);
      const id = mapped ? childId(mapped.env.envId, mapped.instance.name) : undefined;
      if (previous !== undefined && previous !== id) drop.add(previous);
      produced.set(k, id);
      if (!mapped || !id) continue;
      envs.push(mapped.env);
      drop.delete(id);
      const instance: InstanceDoc = { _id: id, ...mapped.instance };
      if (!isDeepStrictEqual(this.instances.get(id), instance)) instances.push(instance);
    }
    await this.ensureEnvs(envs);
    for (const batch of chunks(instances.length)) await this.writer.replaceBatch({ instances: instances.slice(batch.from, batch.to) });
    for (const doc of instances) this.instances.set(doc._id, doc);
    this.counters.written("instance", "upsert", instances.length);
    const dropped = [...drop].filter((id) => this.instances.has(id));
    if (dropped.length > 0) {
      await this.writer.deleteBatch({ instances: dropped });
      for (const id of dropped) this.instances.delete(id);
      this.counters.written("instance", "delete", dropped.length);
    }
    for (const [k, id] of produced) {
      if (id) this.byPod.set(k, id);
      else this.byPod.delete(k);
    }
  }

  deploymentEvent(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): Promise<void> {
    const k = key(object);
    return this.exclusive("deployments", () => {
      if (type === "DELETED") this.deployments.delete(k);
      else this.deployments.set(k, object);
      return this.applyDeployments([k]);
    });
  }

  podEvent(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): Promise<void> {
    return this.exclusive("pods", () => this.applyPods(new Map([[key(object), type === "DELETED" ? undefined : object]])));
  }

  /** An autoscaler changes the package of the Deployment it scales (same namespace and name). */
  hpaEvent(type: "ADDED" | "MODIFIED" | "DELETED", object: HorizontalPodAutoscaler): Promise<void> {
    const target = this.hpaTarget(object);
    if (!target) return Promise.resolve();
    return this.exclusive("deployments", () => {
      if (type === "DELETED") this.hpas.delete(target);
      else this.hpas.set(target, object);
      return this.deployments.has(target) ? this.applyDeployments([target]) : Promise.resolve();
    });
  }

  private hpaTarget(hpa: HorizontalPodAutoscaler): string | undefined {
    const ref = hpa.spec?.scaleTargetRef;
    if (ref?.kind !== "Deployment" || !ref.name) return undefined;
    return `${hpa.metadata?.namespace ?? ""}/${ref.name}`;
  }

  /** A full list of Deployments: write what changed, then delete the processes and packages it no longer has. */
  deploymentList(items: KubeObject[]): Promise<void> {
    return this.exclusive("deployments", async () => {
      const gone = [...this.deployments.keys()];
      this.deployments.clear();
      for (const item of items) this.deployments.set(key(item), item);
      const keys = new Set([...this.deployments.keys(), ...gone, ...this.byDeployment.keys()]);
      // Whatever an earlier run wrote for this cluster that no listed Deployment produces is gone.
      const live = new Set<string>();
      for (const k of this.deployments.keys()) {
        const deployment = this.deployments.get(k)!;
        const mapped = mapDeployment(deployment, this.hpas.get(k), this.cluster);
        if (mapped) live.add(childId(mapped.env.envId, mapped.process.type));
      }
      const stale = [...this.processes.keys(), ...this.specs.keys()].filter((id) => !live.has(id));
      await this.applyDeployments(keys, stale);
    });
  }

  podList(items: KubeObject[]): Promise<void> {
    return this.exclusive("pods", async () => {
      const listed = new Map<string, KubeObject | undefined>(items.map((item) => [key(item), item]));
      for (const k of this.byPod.keys()) if (!listed.has(k)) listed.set(k, undefined);
      const live = new Set<string>();
      for (const pod of items) {
        const mapped = mapPod(pod, this.cluster);
        if (mapped) live.add(childId(mapped.env.envId, mapped.instance.name));
      }
      await this.applyPods(listed, [...this.instances.keys()].filter((id) => !live.has(id)));
    });
  }

  hpaList(items: HorizontalPodAutoscaler[]): Promise<void> {
    return this.exclusive("deployments", async () => {
      const before = new Set(this.hpas.keys());
      this.hpas.clear();
      for (const item of items) {
        const target = this.hpaTarget(item);
        if (target) this.hpas.set(target, item);
      }
      const touched = [...new Set([...before, ...this.hpas.keys()])].filter((k) => this.deployments.has(k));
      await this.applyDeployments(touched);
    });
  }
}

const BATCH = 1000;
function* chunks(length: number): Generator<{ from: number; to: number }> {
  for (let from = 0; from < length; from += BATCH) yield { from, to: Math.min(length, from + BATCH) };
}

/** Runs `work` over `items`, a bounded number at a time (a list of thousands must not open thousands of writes). */
async function inParallel<T>(items: T[], work: (item: T) => Promise<void>, limit = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
