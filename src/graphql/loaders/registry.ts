import { ProjectedLoader, type BatchObserver } from "./documentLoader";

/**
 * The loaders of one operation. Created with the request context and dropped with it, so no
 * cached document outlives the request that read it (and no caller sees another's scope).
 */
export class LoaderRegistry {
  // Made on first use: many operations (and every trivial one) need no loader.
  private loaders: Map<string, unknown> | undefined;

  /** `timeLeft`: the time left of the request (throws once no query may start), for `RequestContext.query`'s checks in loaders. */
  constructor(private readonly options: { batchObserver?: BatchObserver; timeLeft?: () => number } = {}) {}

  get<T>(name: string, create: () => T): T {
    this.loaders ??= new Map();
    let loader = this.loaders.get(name) as T | undefined;
    if (loader === undefined) {
      loader = create();
      if (loader instanceof ProjectedLoader) {
        loader.batchObserver = this.options.batchObserver;
        loader.timeLeft = this.options.timeLeft;
      }
      this.loaders.set(name, loader);
    }
    return loader;
  }
}
