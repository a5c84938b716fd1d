import type { QueryOptions } from "../../db/health";
import { ProjectedLoader, type BatchObserver, type BatchTracker } from "./documentLoader";

/**
 * The loaders of one operation. Created with the request context and dropped with it, so no
 * cached document outlives the request that read it (and no caller sees another's scope).
 */
export class LoaderRegistry implements BatchTracker {
  // Made on first use: many operations (and every trivial one) need no loader.
  private loaders: Map<string, unknown> | undefined;
  /** See BatchTracker; set by `prefetch` around its resolver calls only. */
  prefetching = false;
  // Made on first batch, like `loaders`: a trivial operation pays for neither.
  private waitingLoaders: Set<ProjectedLoader<unknown>> | undefined;
  private batchesReading: Set<Promise<void>> | undefined;

  /** `bounds`: the request's, as in `RequestContext.query` (throws once no query may start). */
  constructor(private readonly options: { batchObserver?: BatchObserver; bounds?: () => QueryOptions } = {}) {}

  get<T>(name: string, create: () => T): T {
    this.loaders ??= new Map();
    let loader = this.loaders.get(name) as T | undefined;
    if (loader === undefined) {
      loader = create();
      if (loader instanceof ProjectedLoader) {
        loader.batchObserver = this.options.batchObserver;
        loader.bounds = this.options.bounds;
        loader.tracker = this;
      }
      this.loaders.set(name, loader);
    }
    return loader;
  }

  waiting(loader: ProjectedLoader<unknown>): void {
    (this.waitingLoaders ??= new Set()).add(loader);
  }

  reading(done: Promise<void>): void {
    const reading = (this.batchesReading ??= new Set());
    reading.add(done);
    void done.then(() => reading.delete(done));
  }

  /** Sends every waiting batch now, in the order they began to wait, and resolves once they and those already sent have been read (or failed). */
  async flush(): Promise<void> {
    for (const loader of this.waitingLoaders ?? []) loader.dispatchNow();
    this.waitingLoaders?.clear();
    await Promise.all(this.batchesReading ?? []);
  }
}
