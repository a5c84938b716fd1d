import { isDeepStrictEqual } from "node:util";
import type { InstanceDoc, ProcessDoc, ProcessSpecDoc } from "../providers/documents";
import type { PaasWriter } from "../providers/writer";
import { childId } from "../ids";
import type { KubeObject } from "./kubeClient";
import { mapDeployment, mapPod, type EnvKey, type HorizontalPodAutoscaler } from "./mapping";

/**
 * One cluster's objects as procgraph's documents, written through `PaasWriter` (so every create,
 * update or delete of a process or an instance bumps its counter, as for any write). It remembers
 * what it wrote, so an unchanged object writes nothing (a re-list of a quiet cluster moves no
 * counter), and a new list deletes exactly what this cluster no longer has.
 */

type Written<T> = Map<string, T>;

export interface MirrorCounters {
  written(kind: "process" | "spec" | "instance", op: "upsert" | "delete"): void;
}

const key = (object: KubeObject) => `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
/** `{env id}/{child}`: the env id is everything before the last `/` (children never contain one). */
const splitChild = (id: string): [string, string] => {
  const at = id.lastIndexOf("/");
  return [id.slice(0, at), id.slice(at + 1)];
};

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
  /** Writes to one key are serialised: the Deployment and HPA informers both write specs. */
  private readonly chains = new Map<string, Promise<void>>();

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

  private serial(id: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.chains.set(id, next);
    return next.finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
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

  private async putProcess(doc: ProcessDoc): Promise<void> {
    if (isDeepStrictEqual(this.processes.get(doc._id), doc)) return;
    const { _id, ...fields } = doc;
    void _id;
    await this.writer.upsertProcess(fields);
    this.processes.set(doc._id, doc);
    this.counters.written("process", "upsert");
  }

  private async putSpec(doc: ProcessSpecDoc): Promise<void> {
    if (isDeepStrictEqual(this.specs.get(doc._id), doc)) return;
    const { _id, ...fields } = doc;
    void _id;
    await this.writer.upsertSpec(fields);
    this.specs.set(doc._id, doc);
    this.counters.written("spec", "upsert");
  }

  private async putInstance(doc: InstanceDoc): Promise<void> {
    if (isDeepStrictEqual(this.instances.get(doc._id), doc)) return;
    const { _id, ...fields } = doc;
    void _id;
    await this.writer.upsertInstance(fields);
    this.instances.set(doc._id, doc);
    this.counters.written("instance", "upsert");
  }

  private async dropProcessAndSpec(id: string): Promise<void> {
    const [env, type] = splitChild(id);
    if (this.processes.delete(id)) {
      await this.writer.deleteProcess(env, type);
      this.counters.written("process", "delete");
    }
    if (this.specs.delete(id)) {
      await this.writer.deleteSpec(env, type);
      this.counters.written("spec", "delete");
    }
  }

  private async dropInstance(id: string): Promise<void> {
    if (!this.instances.delete(id)) return;
    const [env, name] = splitChild(id);
    await this.writer.deleteInstance(env, name);
    this.counters.written("instance", "delete");
  }

  private writeDeployment(k: string): Promise<void> {
    return this.serial(`deployment:${k}`, async () => {
      const deployment = this.deployments.get(k);
      const mapped = deployment ? mapDeployment(deployment, this.hpas.get(k), this.cluster) : null;
      const previous = this.byDeployment.get(k);
      const id = mapped ? childId(mapped.env.envId, mapped.process.type) : undefined;
      if (previous !== undefined && previous !== id) await this.dropProcessAndSpec(previous);
      if (!mapped || !id) {
        this.byDeployment.delete(k);
        return;
      }
      await this.ensureEnv(mapped.env);
      await this.putProcess({ _id: id, ...mapped.process });
      await this.putSpec({ _id: id, ...mapped.spec });
      this.byDeployment.set(k, id);
    });
  }

  private writePod(k: string, pod: KubeObject | undefined): Promise<void> {
    return this.serial(`pod:${k}`, async () => {
      const mapped = pod ? mapPod(pod, this.cluster) : null;
      const previous = this.byPod.get(k);
      const id = mapped ? childId(mapped.env.envId, mapped.instance.name) : undefined;
      if (previous !== undefined && previous !== id) await this.dropInstance(previous);
      if (!mapped || !id) {
        this.byPod.delete(k);
        return;
      }
      await this.ensureEnv(mapped.env);
      await this.putInstance({ _id: id, ...mapped.instance });
      this.byPod.set(k, id);
    });
  }

  deploymentEvent(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): Promise<void> {
    const k = key(object);
    if (type === "DELETED") this.deployments.delete(k);
    else this.deployments.set(k, object);
    return this.writeDeployment(k);
  }

  podEvent(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): Promise<void> {
    return this.writePod(key(object), type === "DELETED" ? undefined : object);
  }

  /** An autoscaler changes the package of the Deployment it scales (same namespace and name). */
  hpaEvent(type: "ADDED" | "MODIFIED" | "DELETED", object: HorizontalPodAutoscaler): Promise<void> {
    const target = this.hpaTarget(object);
    if (!target) return Promise.resolve();
    if (type === "DELETED") this.hpas.delete(target);
    else this.hpas.set(target, object);
    return this.deployments.has(target) ? this.writeDeployment(target) : Promise.resolve();
  }

  private hpaTarget(hpa: HorizontalPodAutoscaler): string | undefined {
    const ref = hpa.spec?.scaleTargetRef;
    if (ref?.kind !== "Deployment" || !ref.name) return undefined;
    return `${hpa.metadata?.namespace ?? ""}/${ref.name}`;
  }

  /** A full list of Deployments: write each, then delete the processes and packages it no longer has. */
  async deploymentList(items: KubeObject[]): Promise<void> {
    this.deployments.clear();
    for (const item of items) this.deployments.set(key(item), item);
    await inParallel([...this.deployments.keys()], (k) => this.writeDeployment(k));
    const live = new Set(this.byDeployment.values());
    for (const k of [...this.byDeployment.keys()]) if (!this.deployments.has(k)) this.byDeployment.delete(k);
    const stale = new Set([...this.processes.keys(), ...this.specs.keys()].filter((id) => !live.has(id)));
    await inParallel([...stale], (id) => this.serial(`id:${id}`, () => this.dropProcessAndSpec(id)));
  }

  async podList(items: KubeObject[]): Promise<void> {
    const listed = new Map(items.map((item) => [key(item), item]));
    for (const k of [...this.byPod.keys()]) if (!listed.has(k)) await this.writePod(k, undefined);
    await inParallel([...listed], ([k, pod]) => this.writePod(k, pod));
    const live = new Set(this.byPod.values());
    await inParallel([...this.instances.keys()].filter((id) => !live.has(id)), (id) => this.dropInstance(id));
  }

  async hpaList(items: HorizontalPodAutoscaler[]): Promise<void> {
    const before = new Set(this.hpas.keys());
    this.hpas.clear();
    for (const item of items) {
      const target = this.hpaTarget(item);
      if (target) this.hpas.set(target, item);
    }
    const touched = new Set([...before, ...this.hpas.keys()].filter((k) => this.deployments.has(k)));
    await inParallel([...touched], (k) => this.writeDeployment(k));
  }
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
