import { Timestamp, type Document } from "mongodb";
import type { InstanceDoc, PaasResourceKind, ProcessDoc } from "../paas/collections";
import type { ProcessList } from "../paas/providers/manager";
import { instanceItem, processItem } from "../paas/rest/serialize";
import { changeType, ChangeType } from "./events";
import type { Change } from "./feed";
import type { LiveService, SubscriptionContext } from "./service";
import type { Subscriber } from "./subscriber";


/** One message of the watch stream, in upstream's `WatchEventSLZ` shape. */
export interface WatchMessage {
  type: ChangeType | "ERROR";
  object_type: "process" | "instance" | "error";
  object: Record<string, unknown>;
  resource_version: string | null;
  /** The stored key of the object (not sent by the REST watch; the GraphQL twin resolves it). */
  key?: string;
}

const KIND_OF: Record<string, PaasResourceKind> = { paas_processes: "process", paas_instances: "instance" };

/**
 * The watch of one module environment from resource versions `rv` (per kind). Every write of a
 * process or an instance is followed by its counter's increment (docs/paas.md "Storage format"),
 * so the k-th object write of a kind pairs with the k-th counter step: each change gets the
 * counter value its write produced, which is what processes/list returned as `resource_version`.
 * Changes at or below the client's version are skipped: list-then-watch loses nothing and repeats
 * nothing. The history is read from the database (the last `historySeconds`), then the shared
 * live feed follows.
 */
export async function startPaasWatch(
  ctx: SubscriptionContext,
  live: LiveService,
  list: ProcessList,
  from: { process: bigint; instance: bigint },
  /**
   * How far back a watch may resume (PAAS_WATCH_HISTORY_SECONDS, five minutes): a resource version
   * older than that answers ERROR and the client lists again, as upstream's Kubernetes answers 410
   * Gone past its compaction window (five minutes by default). docs/paas.md, "REST: GET …/processes/watch/".
   */
  historySeconds: number,
): Promise<Subscriber<WatchMessage>> {
  const env = list.env._id;
  const moduleName = list.module.name;
  const prefix = `${env}/`;
  const counterIds = new Map<string, PaasResourceKind>([
    [`${env}/process`, "process"],
    [`${env}/instance`, "instance"],
  ]);
  const current = { process: BigInt(list.processResourceVersion), instance: BigInt(list.instanceResourceVersion) };
  const pending: Record<PaasResourceKind, Change[]> = { process: [], instance: [] };
  const checked: Record<PaasResourceKind, boolean> = { process: false, instance: false };
  const stepped: Record<PaasResourceKind, boolean> = { process: false, instance: false };
  let failed = false;

  const error = (message: string): WatchMessage => {
    failed = true;
    return { type: "ERROR", object_type: "error", object: { type: "ERROR", error_message: message }, resource_version: null };
  };
  const shape = (change: Change, kind: PaasResourceKind, rv: bigint): WatchMessage | undefined => {
    const doc = (change.after ?? change.before) as Document | null;
    if (!doc) return undefined;
    const object = kind === "process" ? processItem(doc as ProcessDoc, moduleName, list.module.is_default) : instanceItem(doc as InstanceDoc, moduleName);
    return { type: changeType(change), object_type: kind, object, resource_version: String(rv), key: String(change.documentKey._id) };
  };

  // Newer than anything written: the client did not get it from this server.
  for (const kind of ["process", "instance"] as const) {
    if (from[kind] > current[kind]) {
      const message = error(`resource version ${from[kind]} of ${kind}es is newer than the current ${current[kind]}`);
      return live.subscribe<WatchMessage>(ctx, "paasWatch", { accept: () => false, interpret: () => undefined, initial: async () => message, final: () => true });
    }
  }
  // Nothing happened since the client's versions: it needs no history.
  const behind = from.process < current.process || from.instance < current.instance;
  const now = Math.floor(Date.now() / 1000);

  const subscriber = await live.subscribe<WatchMessage>(ctx, "paasWatch", {
    final: (message) => message.type === "ERROR",
    replayFrom: behind ? { time: new Timestamp({ t: now - historySeconds, i: 0 }) } : undefined,
    accept: (change) => {
      if (failed) return false;
      if (change.collection === "paas_resource_versions") {
        const kind = counterIds.get(String(change.documentKey._id));
        if (kind) stepped[kind] = true;
        return kind !== undefined;
      }
      return change.collection in KIND_OF && String(change.documentKey._id).startsWith(prefix);
    },
    interpret: (change) => {
      if (failed) return undefined;
      const objectKind = KIND_OF[change.collection];
      if (objectKind) {
        pending[objectKind].push(change);
        return undefined;
      }
      const kind = counterIds.get(String(change.documentKey._id))!;
      const after = BigInt(Number(change.after?.value ?? 0));
      const before = change.before ? BigInt(Number(change.before.value ?? 0)) : after - BigInt(Math.max(1, pending[kind].length));
      if (!checked[kind]) {
        checked[kind] = true;
        // The first step seen must start at or below the client's version, else writes are missing.
        if (before > from[kind]) return [error(`resource version ${from[kind]} of ${kind}es is too old: list again, then watch`)];
      }
      const out: WatchMessage[] = [];
      for (let rv = before + 1n; rv <= after; rv += 1n) {
        const object = pending[kind].shift();
        if (!object || rv <= from[kind]) continue;
        const message = shape(object, kind, rv);
        if (message) out.push(message);
      }
      return out.length > 0 ? out : undefined;
    },
  });
  // Behind, yet the history showed no step of a kind that moved: those writes are older than it.
  if (behind) {
    for (const kind of ["process", "instance"] as const) {
      if (from[kind] < current[kind] && !stepped[kind]) {
        subscriber.inject(error(`resource version ${from[kind]} of ${kind}es is too old: list again, then watch`));
        break;
      }
    }
  }
  return subscriber;
}
