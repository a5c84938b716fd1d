import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { parseScope, ScopeDefinitionError, type AccessScope } from "./auth/scope";
import { readTokensFile } from "./auth/tokens";
import { inClusterCredentials, KubeconfigError, loadKubeconfig, parseClusterSelections, CLUSTER_NAME, type ClusterCredentials } from "./paas/sync/kubeconfig";
import { PROJECT_ROOT } from "./paths";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The admission control's bounds (`src/http/admission.ts`); here so the configuration imports no HTTP code. */
export interface AdmissionLimits {
  /** Requests executing at once; the rest wait in a FIFO queue. */
  maxConcurrent: number;
  /** Requests waiting for a slot; one more is refused at once. */
  maxQueued: number;
  /** How long a request may wait for a slot (at most until its deadline); the request's deadline when absent. */
  maxWaitMs?: number;
}

export interface AppConfig {
  /** A real MongoDB given by the operator; when absent the embedded server is started. */
  mongodbUri: string | undefined;
  mongodbDb: string;
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Where the embedded server keeps its files across restarts. */
  dataDir: string;
  /** Seed the demo dataset on first start (default: only on the embedded server). */
  seedDemo: boolean;
  /** Prefix of every bk-cmdb collection name, e.g. `tenant1_` for a v3.15 multi-tenant database. */
  cmdbCollectionPrefix: string;
  /** How long graceful shutdown waits for in-flight requests before closing them. */
  shutdownTimeoutMs: number;
  /** `NODE_ENV=production`: schema details hidden from error messages, introspection off by default. */
  production: boolean;
  introspection: boolean;
  /** Origins allowed to call procgraph from a browser; empty means same-origin only. */
  corsOrigins: readonly string[];
  /** How long a MongoDB operation waits for a server before the request fails with SERVICE_UNAVAILABLE. */
  mongodbServerSelectionTimeoutMs: number;
  mongodbReadPreference: ReadPreferenceMode;
  limits: QueryLimits;
  /** Operator-managed tokens (hashed); tokens in the `procgraph_tokens` collection are read too. */
  tokensFile: string | undefined;
  /** What a request without a token may read; undefined: such requests get 401. */
  anonymousScope: AccessScope | undefined;
  /** Each request's deadline; it also bounds every MongoDB operation of the request. */
  requestTimeoutMs: number;
  /** How long a request's body may take to arrive; it is read before the request takes a slot. */
  requestBodyTimeoutMs: number;
  /** GraphQL operations and REST requests executing at once, and waiting for a slot (src/http/admission.ts). */
  admission: AdmissionLimits;
  /** Health-history sampling (docs/dashboards.md); `intervalMs` 0: no sampling. */
  healthHistory: HealthHistoryConfig;
  /** Subscriptions and the PaaS watch (docs/graph.md "Live updates"). */
  live: LiveLimits;
  /** The Kubernetes sync of the PaaS collections (docs/paas.md, "Kubernetes sync"); undefined: off. */
  paasSync: PaasSyncConfig | undefined;
}

export interface PaasSyncConfig {
  clusters: ClusterCredentials[];
  /** How long a cluster's lease lasts without renewal before another instance may take it over. */
  leaseTtlMs: number;
}

export interface LiveLimits {
  /** Events queued for one subscriber; past it the subscriber is closed as too slow. */
  bufferSize: number;
  /** Subscriptions one WebSocket connection may hold at once. */
  maxPerConnection: number;
  /** How often a subscription re-checks its token (a revoked one stops within this plus the token cache's 30 s). */
  reauthorizeEveryMs: number;
  /** How far back the PaaS watch reads history for a resource version (older: the ERROR event). */
  watchHistorySeconds: number;
}

export interface HealthHistoryConfig {
  /** One sample per slot of this length (milliseconds); 0 turns sampling off. */
  intervalMs: number;
  /** Samples older than this are deleted (TTL index and the sampler's own trim). */
  retentionMs: number;
}

/** The collection holds at most retention / interval samples: this many. */
export const MAX_HEALTH_HISTORY_SAMPLES = 100_000;

export const READ_PREFERENCES = ["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"] as const;
export type ReadPreferenceMode = (typeof READ_PREFERENCES)[number];

/** Checked before execution, with the variables known. */
export interface QueryLimits {
  maxDepth: number;
  /** At least 50: gateways batch many aliased root fields into one request. */
  maxAliases: number;
  maxTokens: number;
  /** Cost: one per field, times `first`/`limit`/`page.limit` for what is below a paginated field. */
  maxCost: number;
}

/**
 * procgraph cannot start in the environment it was given (a bad variable, a port in use, a data
 * directory another procgraph uses, an unreachable database): the message is the one line printed
 * before exit code 2. It never carries a stack trace or a password.
 */
export class StartupError extends Error {
  override name = "StartupError";
}

/** A configuration value the operator got wrong; the message is the one line printed before exit. */
export class ConfigError extends StartupError {
  override name = "ConfigError";
  constructor(
    readonly variable: string,
    allowed: string,
    got: string,
  ) {
    super(`invalid ${variable}=${JSON.stringify(redactPassword(got))}: ${allowed}`);
  }
}

/** `mongodb://user:secret@host` → `mongodb://user:***@host`: connection strings go into messages. */
export function redactPassword(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:@/]*):[^@/]*@/, "$1:***@");
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const normalised = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(normalised)) return true;
  if (["0", "false", "no", "off"].includes(normalised)) return false;
  throw new ConfigError(name, "one of true, false, 1, 0, yes, no, on, off", raw);
}

const DURATION_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PATTERN = /^(\d{1,9})(s|m|h|d)$/;

/** A duration such as `30s`, `5m`, `12h`, `7d` (a bare integer: seconds), in milliseconds. */
function readDuration(env: Env, name: string, fallback: number, min: number, max: number, allowed: string): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const match = DURATION_PATTERN.exec(/^\d+$/.test(raw) ? `${raw}s` : raw);
  const value = match ? Number(match[1]) * DURATION_UNITS[match[2]] : NaN;
  if (!(value >= min && value <= max)) throw new ConfigError(name, allowed, env[name] ?? "");
  return value;
}

function readHealthHistory(env: Env): HealthHistoryConfig {
  const off = ["off", "0", "0s"].includes(env.HEALTH_HISTORY_INTERVAL?.trim().toLowerCase() ?? "");
  const intervalMs = off ? 0 : readDuration(env, "HEALTH_HISTORY_INTERVAL", 60_000, 1_000, 86_400_000, "off, or a duration from 1s to 1d such as 30s, 5m, 1h");
  const retentionMs = readDuration(env, "HEALTH_HISTORY_RETENTION", 7 * 86_400_000, 60_000, 400 * 86_400_000, "a duration from 1m to 400d such as 12h, 7d");
  if (intervalMs > 0 && retentionMs < intervalMs) {
    throw new ConfigError("HEALTH_HISTORY_RETENTION", `at least HEALTH_HISTORY_INTERVAL (${env.HEALTH_HISTORY_INTERVAL})`, env.HEALTH_HISTORY_RETENTION ?? "");
  }
  if (intervalMs > 0 && retentionMs / intervalMs > MAX_HEALTH_HISTORY_SAMPLES) {
    throw new ConfigError(
      "HEALTH_HISTORY_RETENTION",
      `at most ${MAX_HEALTH_HISTORY_SAMPLES} samples of HEALTH_HISTORY_INTERVAL (${env.HEALTH_HISTORY_INTERVAL ?? "1m"}): a longer interval or a shorter retention`,
      env.HEALTH_HISTORY_RETENTION?.trim() || "7d (the default)",
    );
  }
  return { intervalMs, retentionMs };
}

// MongoDB database names may not contain these characters and are limited to 63 bytes.
const DB_NAME_PATTERN = /^[^/\\. "$*<>:|?\0]{1,63}$/;
const COLLECTION_PREFIX_PATTERN = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63}_)?$/;

// Execution is one thread per process: two requests at once already keep it busy while the other
// waits for MongoDB, and every request in flight holds its partial result in memory. Measured with
// `npm run bench` on 2 cores, 100 clients on 500-row pages: 2 at once serve as many requests per
// second as 4 (3.1 vs 3.0) with a peak RSS of 185-202 MiB instead of 186-246 MiB (and 4 as many
// as 16, with half the latency). More cores usually mean a bigger MongoDB next to us: one per core.
const DEFAULT_MAX_CONCURRENT = Math.max(2, os.availableParallelism());

/**
 * V8's largest semi-space (young generation) in MiB; the default stays V8's own 16. A 500-row page's
 * rows, documents and answer live until it is written, and within 16 MiB scavenges copy much of
 * them and promote them to the old generation: 32 MiB spent 8-9 % less CPU on the page of 500 and
 * the PaaS dashboard in paired runs, and peak RSS in the bench's memory section stayed within its
 * target (213 MiB). But garbage then stays resident longer: RSS per idle subscription, one
 * connection each, read 41 KiB against the target's 20 (README "Performance").
 */
export const DEFAULT_SEMI_SPACE_MB = 16;

/**
 * The node flags procgraph runs with, from the environment: `npm start` execs node with them
 * (scripts/node-args.ts prints them) and so do the bench's servers. V8 reads its heap sizes when
 * the process starts, so they cannot be set from inside; `loadConfig` checks them too, so a start
 * with bad values fails however node was started.
 */
export function nodeRuntimeArgs(env: Env = process.env): string[] {
  return [`--max-semi-space-size=${readInt(env, "NODE_SEMI_SPACE_MB", DEFAULT_SEMI_SPACE_MB, 1, 1024)}`];
}

export function loadConfig(env: Env = process.env, projectRoot = PROJECT_ROOT): AppConfig {
  nodeRuntimeArgs(env);
  const requestTimeoutMs = readInt(env, "REQUEST_TIMEOUT_MS", 15_000, 100, 600_000);
  const mongodbUri = env.MONGODB_URI?.trim() || undefined;
  if (mongodbUri !== undefined && !/^mongodb(\+srv)?:\/\/\S+$/.test(mongodbUri)) {
    throw new ConfigError("MONGODB_URI", "a connection string starting with mongodb:// or mongodb+srv://", mongodbUri);
  }
  if (mongodbUri !== undefined) {
    // The driver's own parser (it connects nothing): a bad host list or an unknown option is the
    // operator's to fix, named here rather than as a stack trace when the client is created.
    try {
      new MongoClient(mongodbUri);
    } catch (error) {
      throw new ConfigError("MONGODB_URI", `a valid MongoDB connection string (${(error as Error).message})`, mongodbUri);
    }
  }

  const mongodbDb = env.MONGODB_DB?.trim() || "procgraph";
  if (!DB_NAME_PATTERN.test(mongodbDb)) {
    throw new ConfigError("MONGODB_DB", 'a database name of 1-63 characters without / \\ . space " $ * < > : | ?', mongodbDb);
  }

  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError("LOG_LEVEL", `one of ${LOG_LEVELS.join(", ")}`, env.LOG_LEVEL ?? "");

  const host = env.HOST?.trim() || "127.0.0.1";
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) throw new ConfigError("HOST", "a host name or IP address to listen on", host);
  // Four dotted numbers are meant as an IPv4 address, never a host name to look up.
  if (/^[\d.]+$/.test(host) && !net.isIPv4(host)) throw new ConfigError("HOST", "an IPv4 address (four numbers from 0 to 255), a host name or an IPv6 address", host);

  const cmdbCollectionPrefix = env.CMDB_COLLECTION_PREFIX?.trim() ?? "";
  if (!COLLECTION_PREFIX_PATTERN.test(cmdbCollectionPrefix)) {
    throw new ConfigError("CMDB_COLLECTION_PREFIX", "empty, or letters, digits, - and _ ending in _ (e.g. tenant1_)", cmdbCollectionPrefix);
  }

  const production = env.NODE_ENV?.trim() === "production";
  const corsOrigins = (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) {
      throw new ConfigError("CORS_ORIGINS", "a comma-separated list of origins such as https://portal.example.com:8443", env.CORS_ORIGINS ?? "");
    }
  }
  const mongodbReadPreference = (env.MONGODB_READ_PREFERENCE?.trim() || "primary") as ReadPreferenceMode;
  if (!READ_PREFERENCES.includes(mongodbReadPreference)) {
    throw new ConfigError("MONGODB_READ_PREFERENCE", `one of ${READ_PREFERENCES.join(", ")}`, env.MONGODB_READ_PREFERENCE ?? "");
  }

  const tokensFile = env.TOKENS_FILE?.trim() ? path.resolve(projectRoot, env.TOKENS_FILE.trim()) : undefined;
  if (tokensFile) {
    if (!fs.existsSync(tokensFile)) throw new ConfigError("TOKENS_FILE", "the path of an existing JSON file", env.TOKENS_FILE ?? "");
    try {
      readTokensFile(tokensFile);
    } catch (error) {
      throw new ConfigError("TOKENS_FILE", `a valid tokens file (${(error as Error).message})`, env.TOKENS_FILE ?? "");
    }
  }

  // The demo on the embedded server is open to anonymous reads; a real database is not, by default.
  const anonymousRaw = env.ANONYMOUS_SCOPE?.trim() ?? (mongodbUri === undefined ? "all" : "none");
  let anonymousScope: AccessScope | undefined;
  if (anonymousRaw !== "none" && anonymousRaw !== "") {
    try {
      anonymousScope = parseScope(anonymousRaw === "all" ? "all" : JSON.parse(anonymousRaw), "ANONYMOUS_SCOPE");
    } catch (error) {
      const detail = error instanceof ScopeDefinitionError ? error.message : "not JSON";
      throw new ConfigError("ANONYMOUS_SCOPE", `none, all, or a JSON scope like {"cmdbBusinesses":[2],"paasApps":"*"} (${detail})`, anonymousRaw);
    }
  }

  return {
    paasSync: readPaasSync(env, projectRoot),
    mongodbUri,
    mongodbDb,
    port: readInt(env, "PORT", 4000, 0, 65535),
    host,
    logLevel,
    dataDir: path.resolve(projectRoot, env.DATA_DIR?.trim() || ".data"),
    seedDemo: readBool(env, "SEED_DEMO", mongodbUri === undefined),
    cmdbCollectionPrefix,
    shutdownTimeoutMs: readInt(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    production,
    introspection: readBool(env, "INTROSPECTION", !production),
    corsOrigins,
    mongodbServerSelectionTimeoutMs: readInt(env, "MONGODB_SERVER_SELECTION_TIMEOUT_MS", 3_000, 100, 120_000),
    mongodbReadPreference,
    limits: {
      maxDepth: readInt(env, "LIMIT_MAX_DEPTH", 15, 2, 1_000),
      maxAliases: readInt(env, "LIMIT_MAX_ALIASES", 100, 50, 100_000),
      maxTokens: readInt(env, "LIMIT_MAX_TOKENS", 10_000, 100, 10_000_000),
      maxCost: readInt(env, "LIMIT_MAX_COST", 50_000, 10, 100_000_000),
    },
    tokensFile,
    anonymousScope,
    requestTimeoutMs,
    // Short: a body is at most a few MB from a client already connected; a slow one holds a connection, never a slot.
    requestBodyTimeoutMs: readInt(env, "REQUEST_BODY_TIMEOUT_MS", 5_000, 100, 600_000),
    admission: {
      maxConcurrent: readInt(env, "MAX_CONCURRENT_REQUESTS", DEFAULT_MAX_CONCURRENT, 1, 10_000),
      // Waiting costs little (the parsed body); a burst of a few hundred waits rather than failing.
      maxQueued: readInt(env, "MAX_QUEUED_REQUESTS", 256, 0, 100_000),
      // Half the deadline: a request admitted later would start with too little time to finish, and
      // under a standing overload every request would end in TIMEOUT after holding a slot.
      maxWaitMs: readInt(env, "MAX_QUEUE_WAIT_MS", Math.floor(requestTimeoutMs / 2), 0, requestTimeoutMs),
    },
    healthHistory: readHealthHistory(env),
    live: {
      bufferSize: readInt(env, "LIVE_BUFFER_EVENTS", 1_000, 1, 1_000_000),
      maxPerConnection: readInt(env, "LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION", 20, 1, 10_000),
      reauthorizeEveryMs: readInt(env, "LIVE_REAUTHORIZE_MS", 5_000, 100, 600_000),
      watchHistorySeconds: readInt(env, "PAAS_WATCH_HISTORY_SECONDS", 300, 1, 86_400),
    },
  };
}

/** PAAS_KUBECONFIG (+ PAAS_KUBE_CONTEXTS) or PAAS_IN_CLUSTER: which clusters the sync mirrors. */
function readPaasSync(env: Env, projectRoot: string): PaasSyncConfig | undefined {
  const file = env.PAAS_KUBECONFIG?.trim();
  const inCluster = readBool(env, "PAAS_IN_CLUSTER", false);
  const rawContexts = env.PAAS_KUBE_CONTEXTS?.trim() ?? "";
  const selections = parseClusterSelections(rawContexts);
  if (selections === null) {
    throw new ConfigError("PAAS_KUBE_CONTEXTS", "a comma-separated list of kubeconfig contexts, each optionally named: prod-sh=ctx-a,prod-gz=ctx-b (names unique, lowercase)", rawContexts);
  }
  const leaseTtlMs = readInt(env, "PAAS_SYNC_LEASE_TTL_MS", 15_000, 1_000, 600_000);
  const clusters: ClusterCredentials[] = [];
  if (file) {
    const resolved = path.resolve(projectRoot, file);
    if (!fs.existsSync(resolved)) throw new ConfigError("PAAS_KUBECONFIG", "the path of an existing kubeconfig file", file);
    try {
      clusters.push(...loadKubeconfig(resolved, selections));
    } catch (error) {
      if (error instanceof KubeconfigError) throw new ConfigError("PAAS_KUBECONFIG", `a usable kubeconfig (${error.message})`, file);
      throw error;
    }
  } else if (rawContexts !== "") {
    throw new ConfigError("PAAS_KUBE_CONTEXTS", "only with PAAS_KUBECONFIG", rawContexts);
  }
  if (inCluster) {
    const name = env.PAAS_CLUSTER_NAME?.trim() || "in-cluster";
    if (!CLUSTER_NAME.test(name)) throw new ConfigError("PAAS_CLUSTER_NAME", "lowercase letters, digits, . and -", name);
    try {
      clusters.push(inClusterCredentials(name, env));
    } catch (error) {
      if (error instanceof KubeconfigError) throw new ConfigError("PAAS_IN_CLUSTER", `true only inside a pod (${error.message})`, env.PAAS_IN_CLUSTER ?? "");
      throw error;
    }
  }
  if (clusters.length === 0) return undefined;
  const names = clusters.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new ConfigError("PAAS_KUBE_CONTEXTS", "unique cluster names (name them with name=context)", rawContexts);
  return { clusters, leaseTtlMs };
}
