import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { ClusterCredentials } from "./kubeconfig";

/**
 * The few calls the sync makes to a Kubernetes API server: a paged list and a watch, over plain
 * HTTP(S) with the JSON the API documents. Every call is bounded in time and can be aborted.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

export interface KubeList {
  items: KubeObject[];
  resourceVersion: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

/** A refusal or failure answered by the API server (or a watch ERROR event), with its HTTP code. */
export class KubeApiError extends Error {
  override name = "KubeApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** 410 Gone: the resource version is compacted; only a new list helps. */
  get gone(): boolean {
    return this.status === 410;
  }
}

export interface ResourcePath {
  /** e.g. `/apis/apps/v1/deployments` (all namespaces). */
  path: string;
  labelSelector?: string;
}

const LIST_TIMEOUT_MS = 60_000;
const PAGE_SIZE = 500;

export class KubeClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(readonly credentials: ClusterCredentials) {
    this.base = new URL(credentials.server);
    this.agent =
      this.base.protocol === "https:"
        ? new https.Agent({
            keepAlive: true,
            ca: credentials.ca,
            cert: credentials.cert,
            key: credentials.key,
            rejectUnauthorized: !credentials.insecureSkipTlsVerify,
          })
        : new http.Agent({ keepAlive: true });
  }

  close(): void {
    this.agent.destroy();
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { Accept: "application/json", "User-Agent": "procgraph-paas-sync" };
    const token = this.credentials.tokenFile ? fs.readFileSync(this.credentials.tokenFile, "utf8").trim() : this.credentials.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  private url(resource: ResourcePath, query: Record<string, string | undefined>): URL {
    const url = new URL(resource.path, this.base);
    if (resource.labelSelector) url.searchParams.set("labelSelector", resource.labelSelector);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
    return url;
  }

  private open(url: URL, signal: AbortSignal | undefined, timeoutMs: number): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const transport = url.protocol === "https:" ? https : http;
      const request = transport.request(url, { method: "GET", agent: this.agent, headers: this.headers(), signal, timeout: timeoutMs }, (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(response);
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body = (body + chunk).slice(0, 4000)));
        response.on("end", () => reject(new KubeApiError(status, statusMessage(status, body))));
        response.on("error", reject);
      });
      request.on("timeout", () => request.destroy(new Error(`no answer from ${url.host} within ${timeoutMs} ms`)));
      request.on("error", reject);
      request.end();
    });
  }

  /** Lists every object (following `continue`), and the list's resource version. */
  async list(resource: ResourcePath, signal?: AbortSignal): Promise<KubeList> {
    const items: KubeObject[] = [];
    let next: string | undefined;
    let resourceVersion = "";
    do {
      const response = await this.open(this.url(resource, { limit: String(PAGE_SIZE), continue: next }), signal, LIST_TIMEOUT_MS);
      const page = JSON.parse(await readAll(response)) as { items?: KubeObject[]; metadata?: { resourceVersion?: string; continue?: string } };
      items.push(...(page.items ?? []));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      next = page.metadata?.continue || undefined;
    } while (next);
    return { items, resourceVersion };
  }

  /**
   * Watches from `resourceVersion`, with bookmarks; resolves when the server ends the watch
   * (after `timeoutSeconds`), rejects on an error (a 410 as `KubeApiError` with `gone`). A watch
   * that stays silent past the server's timeout plus a margin is taken as dead.
   */
  async watch(resource: ResourcePath, resourceVersion: string, onEvent: (event: WatchEvent) => Promise<void> | void, options: { signal?: AbortSignal; timeoutSeconds: number }): Promise<void> {
    const url = this.url(resource, { watch: "1", resourceVersion, allowWatchBookmarks: "true", timeoutSeconds: String(options.timeoutSeconds) });
    const silenceMs = (options.timeoutSeconds + 30) * 1000;
    const response = await this.open(url, options.signal, silenceMs);
    response.setEncoding("utf8");
    let buffered = "";
    // Events are handled one at a time, in order: the stream is paused while one is written.
    for await (const chunk of response as AsyncIterable<string>) {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === "") continue;
        const event = JSON.parse(line) as WatchEvent;
        if (event.type === "ERROR") {
          throw new KubeApiError(event.object.code ?? 500, event.object.message ?? "watch error");
        }
        await onEvent(event);
      }
    }
  }
}

function statusMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    if (parsed.message) return `${status}: ${parsed.message}`;
  } catch {
    // not a Status object
  }
  return `${status}: ${body.slice(0, 200) || http.STATUS_CODES[status] || "error"}`;
}

async function readAll(response: http.IncomingMessage): Promise<string> {
  response.setEncoding("utf8");
  let body = "";
  for await (const chunk of response as AsyncIterable<string>) body += chunk;
  return body;
}
