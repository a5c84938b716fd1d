import type { GraphQLResolveInfo } from "graphql";
import { andThen, type MaybePromise } from "../../graphql/maybePromise";
import { CONNECTION_ROWS, prefetch } from "../../graphql/prefetch";
import type { Filter } from "mongodb";
import { connectionOf, cursorCodec, type ConnectionValue } from "../../graphql/connection";
import type { RequestContext } from "../../graphql/context";
import type { Projection } from "../../graphql/projection";
import { envId, isEnvName, isValidAppCode, isValidModuleName, moduleId } from "../ids";
import { isLatestVersion } from "./computed";
import type { AppDoc, InstanceDoc, ModuleDoc, ModuleEnvDoc, PaasAppType, ProcessDoc, ProcessSpecDoc } from "../collections";
import { PaasNotFoundError, PaasValidationError } from "./errors";
import { PaasStore } from "./store";

export const MESSAGES = {
  environment: "must be one of stag, prod",
  onlyLatestVersion: "must be a boolean",
  releaseId: "release_id is not supported by this server",
} as const;

const BOOLEANS: Record<string, boolean> = { true: true, True: true, "1": true, false: false, False: false, "0": false };

export interface ProcessListRequest {
  appCode: string;
  /** `null`: the app's default module (the REST path without `/modules/{module_name}`). */
  moduleName: string | null;
  environment: string;
  onlyLatestVersion: boolean;
  /** Query-parameter errors (REST), reported after the lookups, as upstream's serializer does (docs/paas.md, "Query parameters and error order"). */
  queryErrors?: Record<string, string[]>;
}

export interface ProcessList {
  app: AppDoc;
  module: ModuleDoc;
  env: ModuleEnvDoc;
  processes: ProcessDoc[];
  instances: InstanceDoc[];
  specs: ProcessSpecDoc[];
  processResourceVersion: string;
  instanceResourceVersion: string;
}

/**
 * REST query parameters of the list: `only_latest_version` takes exactly true/false/1/0/True/False
 * (absent = false); `release_id` is refused (docs/paas.md, "Query parameters and error order"). Django's QueryDict reads the last value.
 */
export function parseListQuery(query: Record<string, unknown>): { onlyLatestVersion: boolean; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const last = (value: unknown) => (Array.isArray(value) ? value[value.length - 1] : value);
  const raw = last(query.only_latest_version);
  let onlyLatestVersion = false;
  if (raw !== undefined) {
    if (typeof raw === "string" && raw in BOOLEANS) onlyLatestVersion = BOOLEANS[raw];
    else errors.only_latest_version = [MESSAGES.onlyLatestVersion];
  }
  if (query.release_id !== undefined) errors.release_id = [MESSAGES.releaseId];
  return { onlyLatestVersion, errors };
}

const ALL: Projection = "all";
/** What attaching instances to their processes reads of the processes, and of each instance. */
const ATTACHING_PROCESS_FIELDS: Projection = new Set(["_id", "env_id", "type", "version"]);
const INSTANCE_ATTACHING_FIELDS = ["process_type", "version"] as const;

export interface AppListFilter {
  type?: PaasAppType | null;
  language?: string | null;
  codePrefix?: string | null;
}

export const APP_PAGE_DEFAULT = 20;
export const APP_PAGE_MAX = 100;

/** The logic of the PaaS model: list assembly, lookups by key, app pages. Data access is the store's. */
export class PaasManager {
  private readonly store: PaasStore;

  constructor(private readonly ctx: RequestContext) {
    this.store = PaasStore.of(ctx);
  }

  static of(ctx: RequestContext): PaasManager {
    return ctx.loaders.get("paas.manager", () => new PaasManager(ctx));
  }

  /**
   * The processes list of one module environment (REST and `paasProcessList`). Checks run in the
   * order of docs/paas.md, "Query parameters and error order"; identifiers that break upstream's naming rules cannot exist and are answered as
   * unknown without a query.
   */
  async processList(request: ProcessListRequest): Promise<ProcessList> {
    const { appCode, moduleName, environment } = request;
    if (!isEnvName(environment)) throw new PaasValidationError({ environment: [MESSAGES.environment] });
    if (!isValidAppCode(appCode)) throw new PaasNotFoundError(`application "${appCode}" not found`);
    if (moduleName !== null && !isValidModuleName(moduleName)) throw new PaasNotFoundError(`module "${moduleName}" of application "${appCode}" not found`);

    // The lookups go out together; the first failure in that order is reported.
    const [app, namedModule, namedEnv] = await Promise.all([
      this.store.app(appCode, ALL),
      moduleName === null ? this.store.defaultModule(appCode) : this.store.module(moduleId(appCode, moduleName), ALL),
      moduleName === null ? null : this.store.env(envId(appCode, moduleName, environment), ALL),
    ]);
    if (!app) throw new PaasNotFoundError(`application "${appCode}" not found`);
    if (!namedModule) {
      throw new PaasNotFoundError(moduleName === null ? `default module of application "${appCode}" not found` : `module "${moduleName}" of application "${appCode}" not found`);
    }
    const env = moduleName === null ? await this.store.env(envId(appCode, namedModule.name, environment), ALL) : namedEnv;
    if (!env) throw new PaasNotFoundError(`environment "${environment}" of module "${namedModule.name}" of application "${appCode}" not found`);
    if (request.queryErrors && Object.keys(request.queryErrors).length > 0) throw new PaasValidationError(request.queryErrors);

    const [processes, allInstances, specs, processResourceVersion, instanceResourceVersion] = await Promise.all([
      this.store.processesOfEnv(env._id, ALL),
      this.store.instancesOfEnv(env._id, ALL),
      this.store.specsOfEnv(env._id, ALL),
      this.store.resourceVersion(env._id, "process"),
      this.store.resourceVersion(env._id, "instance"),
    ]);
    return {
      app,
      module: namedModule,
      env,
      processes,
      instances: attachedInstances(processes, allInstances, request.onlyLatestVersion),
      specs,
      processResourceVersion,
      instanceResourceVersion,
    };
  }

  /** Instances of one process (navigation), optionally only those of the process's version. */
  instancesOfProcess(process: Pick<ProcessDoc, "env_id" | "type" | "version">, onlyLatestVersion: boolean, projection: Projection): MaybePromise<InstanceDoc[]> {
    return andThen(this.store.instancesOfEnv(process.env_id, withAttachingFields(projection)), (instances) =>
      instances.filter((i) => i.process_type === process.type && (!onlyLatestVersion || isLatestVersion(i, process))),
    );
  }

  /** Instances of a module environment attached to its processes (docs/paas.md, "Which items are listed"), as the list returns them. */
  instancesOfEnv(env: string, onlyLatestVersion: boolean, projection: Projection): MaybePromise<InstanceDoc[]> {
    const processes = this.store.processesOfEnv(env, ATTACHING_PROCESS_FIELDS);
    const instances = this.store.instancesOfEnv(env, withAttachingFields(projection));
    return andThen(processes, (p) => andThen(instances, (i) => attachedInstances(p, i, onlyLatestVersion)));
  }

  /** Apps by code in key order, `null` for a miss (and, without a query, for a code that cannot exist). */
  async appsByCodes(codes: readonly string[], projection: Projection): Promise<Array<AppDoc | null>> {
    return Promise.all(codes.map((code) => (isValidAppCode(code) ? this.store.app(code, projection) : null)));
  }

  /** A page of apps in code order past `after`; `totalCount` runs only when selected. */
  async appPage(filter: AppListFilter, first: number, after: string | null, projection: Projection, info?: GraphQLResolveInfo): Promise<ConnectionValue<AppDoc>> {
    const query = appFilter(filter);
    const scoped: Filter<AppDoc> = after === null ? query : { $and: [query, { _id: { $gt: after } }] };
    const docs = await this.store.appPage(scoped, first + 1, projection);
    if (info) await prefetch(info, this.ctx, docs.slice(0, first), CONNECTION_ROWS);
    return connectionOf(docs, first, (app) => appCursors.encode(app._id), () => this.store.countApps(query));
  }
}

/** paasAppList's cursors: `["paasApp", code]`. */
export const appCursors = cursorCodec(
  "paasApp",
  "paasAppList",
  ([code]) => (typeof code === "string" && code !== "" ? code : undefined),
  (code: string) => [code],
);

const withAttachingCache = new WeakMap<ReadonlySet<string>, Projection>();

/** `projection` plus what attaching reads of each instance; one set per projection (a selection's, asked once per row). */
function withAttachingFields(projection: Projection): Projection {
  if (projection === "all") return "all";
  let merged = withAttachingCache.get(projection);
  if (!merged) withAttachingCache.set(projection, (merged = new Set([...projection, ...INSTANCE_ATTACHING_FIELDS])));
  return merged;
}

function attachedInstances(processes: readonly ProcessDoc[], instances: readonly InstanceDoc[], onlyLatestVersion: boolean): InstanceDoc[] {
  const byType = new Map(processes.map((p) => [p.type, p]));
  return instances.filter((instance) => {
    const process = byType.get(instance.process_type);
    return process !== undefined && (!onlyLatestVersion || isLatestVersion(instance, process));
  });
}

export function appFilter(filter: AppListFilter): Filter<AppDoc> {
  const clauses: Filter<AppDoc>[] = [];
  if (filter.type) clauses.push({ type: filter.type });
  if (filter.language) clauses.push({ language: filter.language });
  if (filter.codePrefix) clauses.push({ _id: { $gte: filter.codePrefix, $lt: `${filter.codePrefix}\uffff` } });
  return clauses.length === 0 ? {} : clauses.length === 1 ? clauses[0] : { $and: clauses };
}
