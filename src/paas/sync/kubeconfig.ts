import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";

/** How to reach one cluster's API server: what the sync's HTTP client needs, nothing more. */
export interface ClusterCredentials {
  /** The name kept on every document the sync writes for this cluster. */
  name: string;
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  /** Re-read before each request (projected service-account tokens rotate). */
  tokenFile?: string;
  insecureSkipTlsVerify?: boolean;
}

/** The kubeconfig or the in-cluster files cannot be used; the message is the one line shown to the operator. */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

interface NamedEntry<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface KubeconfigCluster {
  server?: string;
  "certificate-authority"?: string;
  "certificate-authority-data"?: string;
  "insecure-skip-tls-verify"?: boolean;
}

interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  "client-certificate"?: string;
  "client-certificate-data"?: string;
  "client-key"?: string;
  "client-key-data"?: string;
  exec?: unknown;
  "auth-provider"?: unknown;
  username?: string;
}

interface Kubeconfig {
  "current-context"?: string;
  clusters?: NamedEntry<KubeconfigCluster>[];
  users?: NamedEntry<KubeconfigUser>[];
  contexts?: NamedEntry<{ cluster?: string; user?: string }>[];
}

/** A `name=context` pair (or a bare context, named after itself) from PAAS_KUBE_CONTEXTS / --context. */
export interface ClusterSelection {
  name: string;
  context: string | undefined;
}

export const CLUSTER_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

function readBytes(file: string | undefined, data: string | undefined, base: string, what: string): Buffer | undefined {
  if (data) return Buffer.from(data, "base64");
  if (!file) return undefined;
  const resolved = path.resolve(base, file);
  try {
    return fs.readFileSync(resolved);
  } catch {
    throw new KubeconfigError(`${what} ${resolved} cannot be read`);
  }
}

/** Reads the clusters of a kubeconfig file: one per selection (the current context when none is given). */
export function loadKubeconfig(file: string, selections: readonly ClusterSelection[]): ClusterCredentials[] {
  let config: Kubeconfig;
  try {
    config = parseYaml(fs.readFileSync(file, "utf8")) as Kubeconfig;
  } catch (error) {
    throw new KubeconfigError(`kubeconfig ${file} cannot be read: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!config || typeof config !== "object") throw new KubeconfigError(`kubeconfig ${file} is not a kubeconfig`);
  const base = path.dirname(path.resolve(file));
  const wanted = selections.length > 0 ? selections : [{ name: "", context: undefined }];
  return wanted.map(({ name, context }) => {
    const contextName = context ?? config["current-context"];
    if (!contextName) throw new KubeconfigError(`kubeconfig ${file} has no current-context: name one with PAAS_KUBE_CONTEXTS`);
    const ctx = config.contexts?.find((c) => c.name === contextName)?.context;
    if (!ctx) throw new KubeconfigError(`kubeconfig ${file} has no context "${contextName}"`);
    const cluster = config.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
    if (!cluster?.server) throw new KubeconfigError(`context "${contextName}" of ${file} names no cluster with a server`);
    const user = config.users?.find((u) => u.name === ctx.user)?.user ?? {};
    if (user.exec || user["auth-provider"]) {
      throw new KubeconfigError(`user "${ctx.user}" of context "${contextName}" uses an exec or auth-provider plugin, which procgraph does not run: give it a token or a client certificate`);
    }
    const clusterName = name || contextName;
    if (!CLUSTER_NAME.test(clusterName)) {
      throw new KubeconfigError(`cluster name "${clusterName}" must be lowercase letters, digits, . and - (name it with name=context in PAAS_KUBE_CONTEXTS)`);
    }
    return {
      name: clusterName,
      server: cluster.server.replace(/\/+$/, ""),
      ca: readBytes(cluster["certificate-authority"], cluster["certificate-authority-data"], base, "certificate authority"),
      insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
      cert: readBytes(user["client-certificate"], user["client-certificate-data"], base, "client certificate"),
      key: readBytes(user["client-key"], user["client-key-data"], base, "client key"),
      token: user.token,
      tokenFile: user.tokenFile ? path.resolve(base, user.tokenFile) : undefined,
    };
  });
}

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The pod's own service account, as every in-cluster client reads it. */
export function inClusterCredentials(name: string, env: Record<string, string | undefined> = process.env, dir = SERVICE_ACCOUNT_DIR): ClusterCredentials {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new KubeconfigError("not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST/PORT are not set)");
  const tokenFile = path.join(dir, "token");
  if (!fs.existsSync(tokenFile)) throw new KubeconfigError(`no service-account token at ${tokenFile}`);
  const caFile = path.join(dir, "ca.crt");
  return {
    name,
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    ca: fs.existsSync(caFile) ? fs.readFileSync(caFile) : undefined,
    tokenFile,
  };
}

/** `a,b` or `prod-sh=ctx-a,prod-gz=ctx-b`: cluster names and their contexts. */
export function parseClusterSelections(raw: string): ClusterSelection[] | null {
  const parts = raw.split(",").map((p) => p.trim()).filter((p) => p !== "");
  const selections: ClusterSelection[] = [];
  for (const part of parts) {
    const [name, context, extra] = part.split("=");
    if (extra !== undefined || !name) return null;
    const selection = context === undefined ? { name: "", context: name } : { name, context: context || undefined };
    if (selection.name && !CLUSTER_NAME.test(selection.name)) return null;
    selections.push(selection);
  }
  const names = selections.map((s) => s.name || s.context);
  return new Set(names).size === names.length ? selections : null;
}
