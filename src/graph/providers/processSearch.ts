import { isIP } from "node:net";
import type { GraphQLResolveInfo } from "graphql";
import type { Document, Filter } from "mongodb";
import { CmdbCollection } from "../../cmdb/collections";
import { CmdbStore } from "../../cmdb/providers/store";
import type { RequestContext } from "../../graphql/context";
import { cursorParts, encodeCursor } from "../../graphql/cursor";
import { badUserInput } from "../../graphql/errors";
import { withKeysFirst } from "../../graphql/loaders";
import { asTyped, projectionForType, type TypedDocument } from "../../graphql/node";
import { ProcessHealthStatus, ProcessSource } from "../../graphql/process";
import { toMongoProjection, unionProjection, type Projection } from "../../graphql/projection";
import { appPrefix, childId, isValidAppCode } from "../../paas/ids";
import { paasCollection } from "../../paas/providers/store";
import type { ProcessFilter } from "../types/search";
import { appBusinessLinks } from "./appLinks";
import { paasHealthCondition } from "./processes";

export const DEFAULT_PROCESS_PAGE = 50;
export const MAX_PROCESS_PAGE = 200;
export const MAX_NAME_PATTERN = 100;
/** `*` wildcards of a name pattern, a run of them counting as one. */
export const MAX_NAME_PATTERN_STARS = 10;

const globSegment = (segment: string) => segment.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => (c === "?" ? "." : `\\${c}`));

/**
 * A glob (`*`, `?`) as an anchored regular expression that cannot backtrack catastrophically (docs/graph.md,
 * "Unified search"); every other character is escaped (no regex injection). `a*b*c` as `^a.*b.*c$`
 * would make a backtracking engine try every split of the name between the stars (time growing as
 * the name's length to the power of the stars; MongoDB's maxTimeMS does not stop a regex match).
 * Instead each middle segment is matched at its first occurrence, for good: `(?=(.*?b))\1` finds it
 * in a lookahead, which is never re-entered, and the back-reference consumes it. That is the same
 * match, since segments have fixed lengths and an earlier one leaves more room for the rest.
 */
export function globToRegex(pattern: string): string {
  const segments = pattern.split(/\*+/).map(globSegment);
  if (segments.length === 1) return `^${segments[0]}$`;
  const middle = segments.slice(1, -1).map((segment, i) => `(?=(.*?${segment}))\\${i + 1}`);
  return `^${segments[0]}${middle.join("")}.*${segments.at(-1)}$`;
}

/** The number of `*` wildcards of a glob, a run counting as one. */
const globStars = (pattern: string) => pattern.match(/\*+/g)?.length ?? 0;

type Position = { source: ProcessSource.CMDB; key: number } | { source: ProcessSource.PAAS; key: string };

function decodeCursor(cursor: string): Position {
  const [kind, source, key] = cursorParts(cursor);
  if (kind === "process" && source === ProcessSource.CMDB && typeof key === "number" && Number.isSafeInteger(key)) return { source, key };
  if (kind === "process" && source === ProcessSource.PAAS && typeof key === "string" && key.length <= 512) return { source, key };
  throw badUserInput("after: not a cursor of processes", { argumentName: "after" });
}

/** A condition on string-keyed documents (the driver's `Filter` types `_id` as an ObjectId). */
type Condition = Filter<Document> | Record<string, unknown>;

const and = (conditions: Array<Condition | undefined>): Filter<Document> => {
  const present = conditions.filter((c): c is Condition => c !== undefined && Object.keys(c).length > 0);
  return (present.length === 0 ? {} : present.length === 1 ? present[0] : { $and: present }) as Filter<Document>;
};

export interface ProcessPage {
  nodes: TypedDocument[];
  edges: Array<{ cursor: string; node: TypedDocument }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: Promise<number>;
}

/**
 * The unified `processes` search. Every condition becomes a MongoDB condition on `cc_Process` and
 * `paas_processes` (a host IP is first resolved to process keys with one query per model); the
 * caller's scope is one more condition. Order: CMDB by bk_process_id, then PaaS by key.
 */
export class ProcessSearch {
  constructor(private readonly ctx: RequestContext) {}

  private validate(filter: ProcessFilter, first: number): void {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PROCESS_PAGE) throw badUserInput(`first: between 1 and ${MAX_PROCESS_PAGE}`, { argumentName: "first" });
    if (filter.namePattern != null && filter.namePattern.length > MAX_NAME_PATTERN) throw badUserInput(`filter.namePattern: at most ${MAX_NAME_PATTERN} characters`, { argumentName: "filter" });
    if (filter.namePattern != null && globStars(filter.namePattern) > MAX_NAME_PATTERN_STARS) {
      throw badUserInput(`filter.namePattern: at most ${MAX_NAME_PATTERN_STARS} * wildcards (a run of * counts as one)`, { argumentName: "filter" });
    }
    if (filter.hostIp != null && isIP(filter.hostIp) === 0) throw badUserInput("filter.hostIp: not an IP address", { argumentName: "filter" });
    if (filter.paasAppCode != null && !isValidAppCode(filter.paasAppCode)) throw badUserInput("filter.paasAppCode: not a PaaS app code", { argumentName: "filter" });
  }

  /** The `cc_Process` condition, or null when no CMDB process can match. */
  private async cmdbCondition(filter: ProcessFilter): Promise<Filter<Document> | null> {
    if (filter.source === ProcessSource.PAAS || filter.paasAppCode != null) return null;
    if (filter.health != null && filter.health !== ProcessHealthStatus.UNKNOWN) return null;
    const { scope } = this.ctx;
    if (filter.cmdbBusinessId != null && !scope.allowsCmdbBusiness(filter.cmdbBusinessId)) return null;
    if (scope.noCmdbBusinesses) return null;
    const store = CmdbStore.of(this.ctx);
    let processIds: Filter<Document> | undefined;
    if (filter.hostIp != null) {
      const hostFilter = store.scoped({ bk_host_innerip: filter.hostIp }, false);
      if (!hostFilter) return null;
      const hosts = await this.ctx.query((timeout) => store.collection(CmdbCollection.host).find(hostFilter, { projection: { _id: 0, bk_host_id: 1 }, ...timeout }).toArray());
      if (hosts.length === 0) return null;
      const relations = await this.ctx.query((timeout) =>
        store
          .collection(CmdbCollection.relation)
          .find({ bk_host_id: { $in: hosts.map((h) => h.bk_host_id) } }, { projection: { _id: 0, bk_process_id: 1 }, ...timeout })
          .toArray(),
      );
      if (relations.length === 0) return null;
      processIds = { bk_process_id: { $in: [...new Set(relations.map((r) => r.bk_process_id))] } };
    }
    return store.scoped(
      and([
        // The store adds the access scope (and refuses a business outside it).
        filter.cmdbBusinessId != null ? { bk_biz_id: filter.cmdbBusinessId } : undefined,
        filter.namePattern != null ? { bk_process_name: { $regex: globToRegex(filter.namePattern), $options: "i" } } : undefined,
        processIds,
      ]),
    );
  }

  /** The `paas_processes` condition, or null when no PaaS process can match. */
  private async paasCondition(filter: ProcessFilter): Promise<Filter<Document> | null> {
    if (filter.source === ProcessSource.CMDB) return null;
    const health = filter.health != null ? paasHealthCondition(filter.health) : undefined;
    if (health === null) return null;
    const { scope } = this.ctx;
    let apps: string[] | "all" = scope.paasApps === "all" ? "all" : [...scope.paasApps];
    const narrow = (codes: string[]) => (apps = apps === "all" ? codes : apps.filter((code) => codes.includes(code)));
    if (filter.paasAppCode != null) narrow([filter.paasAppCode]);
    if (filter.cmdbBusinessId != null) {
      if (!scope.allowsCmdbBusiness(filter.cmdbBusinessId)) return null;
      const bizId = filter.cmdbBusinessId;
      const links = await this.ctx.query((timeout) => appBusinessLinks(this.ctx.db).find({ bk_biz_id: bizId }, { projection: { _id: 1 }, ...timeout }).toArray());
      narrow(links.map((link) => String(link._id)));
    }
    if (apps !== "all" && apps.length === 0) return null;
    let keys: Condition | undefined;
    if (filter.hostIp != null) {
      const hostIp = filter.hostIp;
      const instances = await this.ctx.query((timeout) =>
        paasCollection(this.ctx.db, "instances").find({ host_ip: hostIp }, { projection: { _id: 0, env_id: 1, process_type: 1 }, ...timeout }).toArray(),
      );
      if (instances.length === 0) return null;
      keys = { _id: { $in: [...new Set(instances.map((i) => childId(i.env_id, i.process_type)))] } };
    }
    return and([
      apps === "all" ? undefined : { _id: { $regex: appPrefix(apps) } },
      keys,
      filter.namePattern != null ? { name: { $regex: globToRegex(filter.namePattern), $options: "i" } } : undefined,
      health,
    ]);
  }

  async page(filter: ProcessFilter, first: number, after: string | null, info: GraphQLResolveInfo): Promise<ProcessPage> {
    this.validate(filter, first);
    const position = after ? decodeCursor(after) : undefined;
    const [cmdb, paas] = await Promise.all([this.cmdbCondition(filter), this.paasCondition(filter)]);
    const projection = (typename: string): Projection => unionProjection(projectionForType(info, typename, ["nodes"]), projectionForType(info, typename, ["edges", "node"]));
    const store = CmdbStore.of(this.ctx);
    const found: Array<{ node: TypedDocument; position: Position }> = [];

    if (cmdb && position?.source !== ProcessSource.PAAS) {
      const query = position ? withKeysFirst({ bk_process_id: { $gt: position.key } }, cmdb) : cmdb;
      const fields = unionProjection(projection("CmdbProcess"), new Set(["bk_process_id"]));
      const documents = await this.ctx.query((timeout) =>
        store
          .collection(CmdbCollection.process)
          .find(query, { projection: toMongoProjection(fields), batchSize: first + 1, ...timeout })
          .sort({ bk_process_id: 1 })
          .limit(first + 1)
          .toArray(),
      );
      const byId = store.byId("process");
      for (const document of documents) {
        byId.prime(document.bk_process_id as number, document, fields);
        found.push({ node: asTyped("CmdbProcess", document), position: { source: ProcessSource.CMDB, key: document.bk_process_id as number } });
      }
    }
    if (paas && found.length <= first) {
      const after: Condition | undefined = position?.source === ProcessSource.PAAS ? { _id: { $gt: position.key } } : undefined;
      const query = after ? withKeysFirst(after as Filter<Document>, paas) : paas;
      const limit = first + 1 - found.length;
      const fields = toMongoProjection(unionProjection(projection("PaasProcess"), new Set(["_id"])));
      const documents = await this.ctx.query((timeout) =>
        paasCollection<Document>(this.ctx.db, "processes").find(query, { projection: fields, batchSize: limit, ...timeout }).sort({ _id: 1 }).limit(limit).toArray(),
      );
      for (const document of documents) found.push({ node: asTyped("PaasProcess", document), position: { source: ProcessSource.PAAS, key: String(document._id) } });
    }

    const page = found.slice(0, first);
    const edges = page.map(({ node, position: at }) => ({ cursor: encodeCursor(["process", at.source, at.key]), node }));
    const ctx = this.ctx;
    let count: Promise<number> | undefined;
    return {
      nodes: edges.map((edge) => edge.node),
      edges,
      pageInfo: { hasNextPage: found.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      get totalCount() {
        count ??= Promise.all([
          cmdb ? ctx.query((timeout) => store.collection(CmdbCollection.process).countDocuments(cmdb, timeout)) : 0,
          paas ? ctx.query((timeout) => paasCollection(ctx.db, "processes").countDocuments(paas, timeout)) : 0,
        ]).then(([a, b]) => a + b);
        return count;
      },
    };
  }
}
