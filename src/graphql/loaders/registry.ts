import { ProjectedLoader, type BatchObserver } from "./documentLoader";

/**
 * The loaders of one operation. Created with the request context and dropped with it, so no
 * cached document outlives the request that read it (and no caller sees another's scope).
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, unknown>();

  constructor(private readonly options: { batchObserver?: BatchObserver; deadline?: number } = {}) {}

  get<T>(name: string, create: () => T): T {
    let loader = this.loaders.get(name) as T | undefined;
    if (loader === undefined) {
      loader = create();
      if (loader instanceof ProjectedLoader) {
        loader.batchObserver = this.options.batchObserver;
        loader.deadline = this.options.deadline;
      }
      this.loaders.set(name, loader);
    }
    return loader;
  }
}
