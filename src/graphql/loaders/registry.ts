import type { QueryOptions } from "../../db/health";
import { ProjectedLoader, type BatchObserver } from "./documentLoader";

/**
 * The loaders of one operation. Created with the request context and dropped with it, so no
 * cached document outlives the request that read it (and no caller sees another's scope).
 */
export class LoaderRegistry {
  // Made on first use: many operations (and every trivial one) need no loader.
  private loaders: Map<string, unknown> | undefined;

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
      }
      this.loaders.set(name, loader);
    }
    return loader;
  }
}
