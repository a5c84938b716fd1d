import { KubeApiError, type KubeClient, type KubeObject, type ResourcePath, type WatchEvent } from "./kubeClient";

/**
 * List-then-watch for one resource kind of one cluster. A list hands every object to `onList`
 * (which reconciles: what is not in it is gone); then a watch from the list's resource version
 * hands each change to `onEvent`, in order. Bookmarks only move the resource version. A watch the
 * server ends is resumed from the last version seen; a `410 Gone` (the version was compacted)
 * means a new list; any other failure is retried from the same version after a backoff.
 */

export type InformerState = "listing" | "watching" | "backoff" | "stopped";

export interface InformerHooks {
  onList(items: KubeObject[]): Promise<void>;
  onEvent(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): Promise<void>;
  /** Reported for metrics and logs. */
  onRelist?(reason: string, count: number): void;
  onWatchRestart?(reason: "closed" | "error" | "gone"): void;
  onError?(error: Error, delayMs: number): void;
  onState?(state: InformerState): void;
}

export interface InformerOptions {
  /** The server ends each watch after this long; it is then resumed (bounds a silently dead connection). */
  watchTimeoutSeconds?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

export class Informer {
  private resourceVersion: string | undefined;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  state: InformerState = "stopped";
  /** Set once the first list has been applied. */
  synced = false;
  lastError: string | undefined;

  constructor(
    readonly kind: string,
    private readonly client: KubeClient,
    private readonly resource: ResourcePath,
    private readonly hooks: InformerHooks,
    private readonly options: InformerOptions = {},
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp?.();
    await this.running;
    this.setState("stopped");
  }

  private setState(state: InformerState): void {
    this.state = state;
    this.hooks.onState?.(state);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const min = this.options.backoffMinMs ?? 500;
    const max = this.options.backoffMaxMs ?? 30_000;
    let failures = 0;
    let relistReason = "start";
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) {
          this.setState("listing");
          const list = await this.client.list(this.resource, this.abort.signal);
          if (this.stopped) break;
          await this.hooks.onList(list.items);
          this.resourceVersion = list.resourceVersion;
          this.synced = true;
          this.hooks.onRelist?.(relistReason, list.items.length);
        }
        this.setState("watching");
        failures = 0;
        this.lastError = undefined;
        await this.client.watch(this.resource, this.resourceVersion, (event) => this.handle(event), {
          signal: this.abort.signal,
          timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
        });
        if (!this.stopped) this.hooks.onWatchRestart?.("closed");
      } catch (error) {
        if (this.stopped) break;
        const err = error as Error;
        if (err instanceof KubeApiError && err.gone) {
          // The version we hold was compacted away: only a new list and a reconciliation are right.
          this.resourceVersion = undefined;
          relistReason = "410 Gone";
          this.hooks.onWatchRestart?.("gone");
          continue;
        }
        failures += 1;
        this.lastError = err.message;
        const delay = Math.min(max, min * 2 ** Math.min(failures - 1, 16)) * (0.5 + Math.random() / 2);
        this.hooks.onError?.(err, Math.round(delay));
        if (this.resourceVersion !== undefined) this.hooks.onWatchRestart?.("error");
        this.setState("backoff");
        await this.sleep(delay);
      }
    }
  }

  private async handle(event: WatchEvent): Promise<void> {
    const version = event.object.metadata?.resourceVersion;
    if (event.type === "BOOKMARK") {
      if (version) this.resourceVersion = version;
      return;
    }
    if (event.type === "ADDED" || event.type === "MODIFIED" || event.type === "DELETED") {
      await this.hooks.onEvent(event.type, event.object);
      if (version) this.resourceVersion = version;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

export { KubeApiError };
