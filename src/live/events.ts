import type { Document } from "mongodb";
import { CmdbCollection } from "../cmdb/collections";
import { cursorCodec } from "../graphql/connection";
import { encodeGlobalId } from "../graphql/globalId";
import { ProcessHealthStatus, ProcessSource } from "../graphql/process";
import type { AccessScope } from "../auth/scope";
import { appCodeOfKey, childId } from "../paas/ids";
import { paasHealth } from "../crossmodel/providers/processes";
import { globToRegex } from "../crossmodel/providers/processSearch";
import type { ProcessFilter } from "../crossmodel/types/search";
import type { Change } from "./feed";

export enum ChangeType {
  ADDED = "ADDED",
  MODIFIED = "MODIFIED",
  DELETED = "DELETED",
}

/** The logical collections the feed watches (CMDB names get the tenant prefix in the feed). */
export const WATCHED_CMDB = [
  CmdbCollection.process,
  CmdbCollection.relation,
  CmdbCollection.serviceInstance,
  CmdbCollection.host,
  CmdbCollection.module,
  CmdbCollection.set,
  CmdbCollection.business,
] as const;
export const WATCHED_PAAS = ["paas_processes", "paas_instances", "paas_resource_versions", "paas_applications", "paas_modules", "paas_module_envs"] as const;

export const changeType = (change: Change): ChangeType =>
  change.operation === "insert" ? ChangeType.ADDED : change.operation === "delete" ? ChangeType.DELETED : ChangeType.MODIFIED;

/**
 * What every subscriber derives from the same change, computed once: the feed hands the same Change
 * object to all of them, and the entry goes with it.
 */
function perChange<T>(derive: (change: Change) => T): (change: Change) => T {
  const known = new WeakMap<Change, { value: T }>();
  return (change) => {
    let entry = known.get(change);
    if (!entry) {
      entry = { value: derive(change) };
      known.set(change, entry);
    }
    return entry.value;
  };
}

/** A subscription's resume cursor: the change's position in the history, opaque to clients. */
export const liveCursor = perChange((change: Change): string => liveCursors.encode(change.token));

/** `["live", resume token]`. */
const liveCursors = cursorCodec(
  "live",
  "a live subscription",
  ([token]) => (typeof token === "string" && /^[0-9A-Fa-f]{2,4096}$/.test(token) ? token : undefined),
  (token: string) => [token],
);

export function tokenOfCursor(cursor: string | null | undefined): string | undefined {
  return cursor == null ? undefined : liveCursors.decode(cursor);
}

/** What a change says about one process of either model; undefined when it concerns none. */
export interface ProcessTouch {
  type: ChangeType;
  typename: "CmdbProcess" | "PaasProcess";
  source: ProcessSource;
  key: number | string;
  /** The process document where the change carries it (after, or before for a delete). */
  process: Document | null;
  bizId?: number;
  appCode?: string;
}

const image = (change: Change): Document | null => change.after ?? change.before;

/**
 * cc_Process and paas_processes changes are the process's own; a process–host relation or a PaaS
 * instance change modifies its process (its host IPs, its health).
 */
export const processTouch = perChange(touchOf);

function touchOf(change: Change): ProcessTouch | undefined {
  const doc = image(change);
  switch (change.collection) {
    case CmdbCollection.process:
    case CmdbCollection.relation: {
      if (!doc || typeof doc.bk_process_id !== "number") return undefined;
      const own = change.collection === CmdbCollection.process;
      return {
        type: own ? changeType(change) : ChangeType.MODIFIED,
        typename: "CmdbProcess",
        source: ProcessSource.CMDB,
        key: doc.bk_process_id,
        process: own ? doc : null,
        bizId: typeof doc.bk_biz_id === "number" ? doc.bk_biz_id : undefined,
      };
    }
    case "paas_processes": {
      const key = String(change.documentKey._id);
      return { type: changeType(change), typename: "PaasProcess", source: ProcessSource.PAAS, key, process: doc, appCode: appCodeOfKey(key) };
    }
    case "paas_instances": {
      if (!doc || typeof doc.env_id !== "string" || typeof doc.process_type !== "string") return undefined;
      const key = childId(doc.env_id, doc.process_type);
      return { type: ChangeType.MODIFIED, typename: "PaasProcess", source: ProcessSource.PAAS, key, process: null, appCode: appCodeOfKey(key) };
    }
    default:
      return undefined;
  }
}

export function inScope(touch: Pick<ProcessTouch, "bizId" | "appCode" | "source">, scope: AccessScope): boolean {
  if (touch.source === ProcessSource.CMDB) return touch.bizId !== undefined && scope.allowsCmdbBusiness(touch.bizId);
  return touch.appCode !== undefined && scope.allowsPaasApp(touch.appCode);
}

/** The parts of a ProcessFilter decided from the change alone (no read). */
export function matchesCheaply(touch: ProcessTouch, filter: ProcessFilter): boolean {
  if (filter.source != null && filter.source !== touch.source) return false;
  if (filter.paasAppCode != null && filter.paasAppCode !== touch.appCode) return false;
  if (filter.cmdbBusinessId != null && touch.source === ProcessSource.CMDB && filter.cmdbBusinessId !== touch.bizId) return false;
  if (filter.health != null && touch.source === ProcessSource.CMDB && filter.health !== ProcessHealthStatus.UNKNOWN) return false;
  if (filter.health === ProcessHealthStatus.UNKNOWN && touch.source === ProcessSource.PAAS) return false;
  return true;
}

/** What the rest of a filter needs to know about the process (read once per change, shared by every subscriber). */
export interface ProcessFacts {
  process: Document | null;
  hostIps: string[];
  linkedBusiness: number | undefined;
}

/** The rest of a ProcessFilter, on the process as it is after the change (before it, for a delete). */
export function matchesFacts(touch: ProcessTouch, filter: ProcessFilter, facts: ProcessFacts, scope: AccessScope): boolean {
  const process = facts.process;
  if (filter.namePattern != null) {
    const name = String((touch.source === ProcessSource.CMDB ? process?.bk_process_name : process?.name) ?? "");
    if (!new RegExp(globToRegex(filter.namePattern), "i").test(name)) return false;
  }
  if (filter.health != null && touch.source === ProcessSource.PAAS) {
    if (!process || paasHealth(process as { replicas: number; success: number }).status !== filter.health) return false;
  }
  if (filter.hostIp != null && !facts.hostIps.includes(filter.hostIp)) return false;
  if (filter.cmdbBusinessId != null && touch.source === ProcessSource.PAAS) {
    if (facts.linkedBusiness !== filter.cmdbBusinessId || !scope.allowsCmdbBusiness(filter.cmdbBusinessId)) return false;
  }
  return true;
}

export const needsFacts = (filter: ProcessFilter): boolean =>
  filter.namePattern != null || filter.hostIp != null || filter.health != null || filter.cmdbBusinessId != null;

export const processGlobalId = (touch: Pick<ProcessTouch, "typename" | "key">): string => encodeGlobalId(touch.typename, touch.key);

/** A CMDB host change: its key, from the document or its pre-image. */
export function hostTouch(change: Change): { type: ChangeType; key: number } | undefined {
  if (change.collection !== CmdbCollection.host) return undefined;
  const key = image(change)?.bk_host_id;
  return typeof key === "number" ? { type: changeType(change), key } : undefined;
}

/**
 * Whether a change can move a number of the dashboard summary the caller sees: changes of its
 * businesses and apps only (hosts and the app links count through the processes they touch).
 */
export function touchesSummary(change: Change, scope: AccessScope): boolean {
  const touch = processTouch(change);
  if (touch) return inScope(touch, scope);
  const doc = image(change);
  if (change.collection.startsWith("paas_")) {
    const key = change.collection === "paas_applications" ? String(change.documentKey._id) : typeof doc?.env_id === "string" ? doc.env_id : String(change.documentKey._id);
    return scope.allowsPaasApp(appCodeOfKey(key));
  }
  return typeof doc?.bk_biz_id === "number" && scope.allowsCmdbBusiness(doc.bk_biz_id);
}
