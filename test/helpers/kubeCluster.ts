import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { freeLoopbackPort } from "../../src/db/embedded/launcher";

/**
 * A throwaway Kubernetes cluster on loopback for the sync's tests: a real etcd, kube-apiserver,
 * kube-controller-manager (Deployments → ReplicaSets → Pods, garbage collection), kube-scheduler
 * (binds pods to nodes) and kwok (a fake node whose pods become Running with a host IP). The
 * binaries come from scripts/k8s-tools.sh's cache; every program runs under a supervisor that ends
 * them all when this process goes away, however it goes.
 */

const VERSIONS = "k8s-v1.37.2-etcd-v3.6.16-kwok-v0.8.0";
export const FAKE_NODE_IP = "192.0.2.10";
const ADMIN_TOKEN = `admin-${randomBytes(12).toString("hex")}`;
/** A user with no rights but those a test binds to it (the README's read-only role). */
export const READER_USER = "procgraph-reader";
export const READER_TOKEN = `reader-${randomBytes(12).toString("hex")}`;

export function kubeToolsDir(): string {
  const root = process.env.PROCGRAPH_TOOLS_CACHE || path.join(os.homedir(), ".cache", "procgraph-tools");
  return path.join(root, VERSIONS);
}

const BINARIES = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"];

/** Why the cluster cannot run here, or undefined when it can. */
export function kubeUnavailableReason(): string | undefined {
  const bin = path.join(kubeToolsDir(), "bin");
  const missing = BINARIES.filter((b) => !fs.existsSync(path.join(bin, b)));
  if (missing.length > 0) return `Kubernetes test binaries missing in ${bin} (${missing.join(", ")}): run bash scripts/k8s-tools.sh`;
  return undefined;
}

/**
 * `describe` for tests that need the cluster: skipped with the reason when the binaries are not
 * built, except on CI (CI=true), where their absence fails the run.
 */
export function describeWithKube(name: string, body: () => void): void {
  const reason = kubeUnavailableReason();
  if (!reason) return describe(name, body);
  if (process.env.CI === "true") {
    describe(name, () => {
      it("has the Kubernetes test binaries (required on CI)", () => {
        throw new Error(reason);
      });
    });
    return;
  }
  process.stderr.write(`[kube] skipping "${name}": ${reason}\n`);
  describe.skip(`${name} (skipped: ${reason})`, body);
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

export interface KubeCluster {
  dir: string;
  server: string;
  /** A kubeconfig with the admin user (context `test`) and the reader (context `reader`). */
  kubeconfig: string;
  etcdUrl: string;
  ca: Buffer;
  /** An admin request; throws on a non-2xx answer unless `allow` lists the status. */
  request<T = unknown>(method: string, apiPath: string, body?: unknown, options?: { allow?: number[]; contentType?: string; token?: string }): Promise<KubeResponse<T>>;
  /** The current etcd revision, and a compaction of everything before it (makes older resource versions 410). */
  compact(): Promise<number>;
  stop(): Promise<void>;
}

interface Supervisor {
  child: ChildProcess;
  send(request: Record<string, unknown>): void;
  exits: Map<string, number | null>;
}

/**
 * The supervisor: a process of its own that starts the cluster's programs on request and ends them
 * all when its stdin closes, so a run that exits in any way (an exception, a signal, a killed
 * worker) leaves no etcd or kube-apiserver behind. stdin, one JSON per line:
 * `{"op":"spawn",name,command,args,log}` | `{"op":"kill",name,signal}`; stdout: `{"event":"spawned"|"exit",name,…}`.
 * Inline source (run with `node -e`), so it works the same from ts-jest and from the compiled bench.
 */
const SUPERVISOR = `"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const readline = require("node:readline");

const GRACE_MS = 5000;
const children = new Map();
const say = (message) => process.stdout.write(JSON.stringify(message) + "\\n");

function stopAll() {
  const alive = [...children.values()].filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(0);
  // In reverse start order: the clients go before the API server, the API server before etcd.
  for (const child of alive.reverse()) child.kill("SIGTERM");
  setTimeout(() => {
    for (const child of alive) if (child.exitCode === null) child.kill("SIGKILL");
    process.exit(0);
  }, GRACE_MS).unref();
  let left = alive.length;
  for (const child of alive) child.once("exit", () => --left === 0 && process.exit(0));
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return;
  }
  if (request.op === "spawn") {
    const out = fs.openSync(request.log, "a");
    const child = spawn(request.command, request.args, { stdio: ["ignore", out, out] });
    fs.closeSync(out);
    children.set(request.name, child);
    child.on("exit", (code, signal) => say({ event: "exit", name: request.name, code, signal }));
    child.on("error", (error) => say({ event: "exit", name: request.name, code: -1, error: error.message }));
    say({ event: "spawned", name: request.name, pid: child.pid });
  } else if (request.op === "kill") {
    children.get(request.name)?.kill(request.signal || "SIGTERM");
  }
});
lines.on("close", stopAll);
process.on("SIGTERM", stopAll);
process.on("SIGINT", stopAll);
`;

function startSupervisor(): Supervisor {
  const child = spawn(process.execPath, ["-e", SUPERVISOR], { stdio: ["pipe", "pipe", "inherit"] });
  const exits = new Map<string, number | null>();
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      const event = JSON.parse(line) as { event: string; name: string; code?: number | null };
      if (event.event === "exit") exits.set(event.name, event.code ?? null);
    } catch {
      // not ours
    }
  });
  // Our end of its stdin stays open as long as we live; it must not keep jest alive, though.
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return { child, exits, send: (request) => child.stdin!.write(`${JSON.stringify(request)}\n`) };
}

function writeKubeconfig(file: string, server: string, caFile: string): void {
  const user = (name: string, token: string) => `- name: ${name}\n  user:\n    token: ${token}\n`;
  fs.writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${server}
    certificate-authority: ${caFile}
users:
${user("admin", ADMIN_TOKEN)}${user("reader", READER_TOKEN)}contexts:
- name: test
  context: {cluster: test, user: admin}
- name: reader
  context: {cluster: test, user: reader}
current-context: test
`,
  );
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, failed?: () => string | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const failure = failed?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ""}`);
}

function httpRequest(url: URL, method: string, ca: Buffer | undefined, token: string, body?: unknown, contentType = "application/json"): Promise<KubeResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const request = https.request(
      url,
      {
        method,
        ca,
        rejectUnauthorized: ca !== undefined,
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(payload ? { "Content-Type": contentType } : {}) },
        timeout: 30_000,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain text (healthz)
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${method} ${url.pathname}: no answer`)));
    request.on("error", reject);
    request.end(payload);
  });
}

export interface KubeClusterOptions {
  /** Pods the fake node accepts (the bench runs thousands). */
  maxPods?: number;
}

export async function startKubeCluster(options: KubeClusterOptions = {}): Promise<KubeCluster> {
  const reason = kubeUnavailableReason();
  if (reason) throw new Error(reason);
  const tools = kubeToolsDir();
  const bin = (name: string) => path.join(tools, "bin", name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-kube-"));
  const supervisor = startSupervisor();
  const logOf = (name: string) => path.join(dir, `${name}.log`);
  const spawnProgram = (name: string, args: string[]) => supervisor.send({ op: "spawn", name, command: bin(name), args, log: logOf(name) });
  const died = () => {
    for (const [name, code] of supervisor.exits) {
      const tail = fs.existsSync(logOf(name)) ? fs.readFileSync(logOf(name), "utf8").trim().split("\n").slice(-3).join(" | ") : "";
      return `${name} exited with ${code}: ${tail}`;
    }
    return undefined;
  };
  const stop = async () => {
    if (supervisor.child.exitCode !== null) return;
    const exited = new Promise((resolve) => supervisor.child.once("exit", resolve));
    supervisor.child.stdin!.end();
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [etcdPort, peerPort, apiPort] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    spawnProgram("etcd", [
      "--name=default",
      `--data-dir=${path.join(dir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
      "--unsafe-no-fsync",
      "--log-level=warn",
    ]);
    await until("etcd ready", 30_000, async () => ((await fetch(`${etcdUrl}/health`)).ok ? true : undefined), died);

    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    fs.writeFileSync(path.join(dir, "sa.pub"), publicKey);
    fs.writeFileSync(path.join(dir, "sa.key"), privateKey);
    fs.writeFileSync(path.join(dir, "tokens.csv"), `${ADMIN_TOKEN},admin,admin,"system:masters"\n${READER_TOKEN},${READER_USER},reader\n`);
    const certDir = path.join(dir, "pki");
    spawnProgram("kube-apiserver", [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${path.join(dir, "tokens.csv")}`,
      "--authorization-mode=RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${path.join(dir, "sa.pub")}`,
      `--service-account-signing-key-file=${path.join(dir, "sa.key")}`,
      "--service-cluster-ip-range=10.96.0.0/16",
      "--endpoint-reconciler-type=none",
      "--enable-priority-and-fairness=false",
      // Pods need no default service account (no token controller here), fake nodes no not-ready taint.
      "--disable-admission-plugins=ServiceAccount,TaintNodesByCondition",
      // Deployments are watched straight from etcd: a compaction then makes an old resource
      // version answer 410 Gone deterministically. Pods keep the watch cache (and its bookmarks).
      "--watch-cache-sizes=deployments.apps#0",
      "--etcd-compaction-interval=0",
      "--profiling=false",
      "-v=0",
    ]);
    const server = `https://127.0.0.1:${apiPort}`;
    const caFile = path.join(certDir, "apiserver.crt");
    const ca = await until("kube-apiserver certificate", 60_000, async () => (fs.existsSync(caFile) ? fs.readFileSync(caFile) : undefined), died);
    await until("kube-apiserver ready", 60_000, async () => {
      const res = await httpRequest(new URL("/readyz", server), "GET", ca, ADMIN_TOKEN);
      return res.status === 200 ? true : undefined;
    }, died);

    const kubeconfig = path.join(dir, "kubeconfig");
    writeKubeconfig(kubeconfig, server, caFile);
    spawnProgram("kube-controller-manager", [
      `--kubeconfig=${kubeconfig}`,
      "--controllers=deployment,replicaset,garbagecollector",
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      `--secure-port=0`,
      "--kube-api-qps=500",
      "--kube-api-burst=1000",
      "--concurrent-deployment-syncs=10",
      "--concurrent-replicaset-syncs=10",
    ]);
    const schedulerConfig = path.join(dir, "scheduler.yaml");
    fs.writeFileSync(
      schedulerConfig,
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: ${kubeconfig}
  qps: 500
  burst: 1000
leaderElection:
  leaderElect: false
`,
    );
    spawnProgram("kube-scheduler", [`--config=${schedulerConfig}`, "--bind-address=127.0.0.1", "--secure-port=0"]);
    const stages = fs.readdirSync(path.join(tools, "stages")).map((f) => `--config=${path.join(tools, "stages", f)}`);
    spawnProgram("kwok", [
      `--kubeconfig=${kubeconfig}`,
      "--manage-all-nodes=false",
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      `--node-ip=${FAKE_NODE_IP}`,
      "--cidr=10.244.0.1/16",
      "--node-lease-duration-seconds=40",
      "--server-address=",
      ...stages,
    ]);

    const request = async <T>(method: string, apiPath: string, body?: unknown, opts: { allow?: number[]; contentType?: string; token?: string } = {}) => {
      const res = await httpRequest(new URL(apiPath, server), method, ca, opts.token ?? ADMIN_TOKEN, body, opts.contentType);
      if ((res.status < 200 || res.status >= 300) && !opts.allow?.includes(res.status)) {
        throw new Error(`${method} ${apiPath}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      }
      return res as KubeResponse<T>;
    };
    const maxPods = String(options.maxPods ?? 1000);
    await request("POST", "/api/v1/nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "kwok-node-0", annotations: { "kwok.x-k8s.io/node": "fake" }, labels: { type: "kwok" } },
      status: { allocatable: { cpu: "1000", memory: "4Ti", pods: maxPods }, capacity: { cpu: "1000", memory: "4Ti", pods: maxPods } },
    });
    await until("fake node Ready", 60_000, async () => {
      const node = await request<{ status?: { conditions?: Array<{ type: string; status: string }> } }>("GET", "/api/v1/nodes/kwok-node-0");
      return node.body.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? true : undefined;
    }, died);

    const compact = async () => {
      const range = await fetch(`${etcdUrl}/v3/kv/range`, { method: "POST", body: JSON.stringify({ key: Buffer.from("/").toString("base64"), limit: 1 }) });
      const revision = Number(((await range.json()) as { header: { revision: string } }).header.revision);
      const res = await fetch(`${etcdUrl}/v3/kv/compaction`, { method: "POST", body: JSON.stringify({ revision: String(revision), physical: true }) });
      if (!res.ok) throw new Error(`etcd compaction: ${res.status} ${await res.text()}`);
      return revision;
    };
    return { dir, server, kubeconfig, etcdUrl, ca, request, compact, stop };
  } catch (error) {
    const logs = BINARIES.filter((b) => fs.existsSync(logOf(b)))
      .map((b) => `--- ${b}\n${fs.readFileSync(logOf(b), "utf8").trim().split("\n").slice(-5).join("\n")}`)
      .join("\n");
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
}
