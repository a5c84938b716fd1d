import type { Collection, Document, Filter, Sort } from "mongodb";
import { findDecoded } from "../../db/decodedFind";
import { boundedQuery, type QueryOptions } from "../../db/health";
import { notReadYet, type MaybePromise } from "../maybePromise";
import { projectionCovers, toMongoProjection, unionProjection, type Projection } from "../projection";

export type LoaderKey = string | number;

/** A loader outside a request (seeders, tests): no deadline. */
const UNBOUNDED = (): QueryOptions => ({ maxTimeMS: 0 });

export interface DocumentLoaderSpec {
  collection: Collection<Document>;
  /** The stored field the keys are matched against (`bk_process_id`, `bk_biz_id`, ...). */
  keyField: string;
  /** Added to every query: owner scope, tenant, soft-delete flags... */
  baseFilter?: Filter<Document>;
  /** For `many` loaders: the order of each key's list. A unique final key keeps it total. */
  sort?: Sort;
  /** Stored values can be Int64/Long or strings; keys are normalised before matching. */
  normaliseKey?: (value: unknown) => LoaderKey | undefined;
  /** Extra stored fields every query of this loader projects (besides the key field). */
  alwaysFields?: readonly string[];
  /** Keys the caller may read (access scope); any other key is a miss (null, []) without a query. */
  allowKey?: (key: LoaderKey) => boolean;
}

/**
 * The reply batch size of a loader's query. The driver's default first batch is 101 documents, so a
 * batch of more keys would cost extra `getMore` round trips; the server still caps a reply at 16 MB.
 */
export const LOADER_BATCH_SIZE = 100_000;

/** A key's document(s) in this request: being read, read, or failed; its promise made only for a caller that waits. */
interface CacheEntry<T> {
  projection: Projection;
  state: "reading" | "read" | "failed";
  value?: T;
  error?: unknown;
  promise?: Promise<T>;
  resolve?: (value: T) => void;
  reject?: (error: unknown) => void;
}

interface Batch<T> {
  keys: LoaderKey[];
  entries: Array<CacheEntry<T>>;
}

const defaultNormalise = (value: unknown): LoaderKey | undefined => {
  if (typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "bigint") return Number(value);
  if (value && typeof value === "object" && "toNumber" in value) return (value as { toNumber(): number }).toNumber();
  return undefined;
};

export type BatchObserver = (collection: string, keys: number) => void;

/** What a loader tells its request's registry: a batch waits to be sent, a batch is being read. */
export interface BatchTracker {
  /** True while `prefetch` calls resolvers: a load not read yet answers NOT_READ_YET, not a promise. */
  readonly prefetching: boolean;
  waiting(loader: ProjectedLoader<unknown>): void;
  reading(done: Promise<void>): void;
}

// As DataLoader schedules a batch: after the promise jobs already queued (a level of execution
// resolving together) and the ticks they queue, so every load of that level joins one batch.
const resolved = Promise.resolve();
const afterPromiseJobs = (run: () => void): void => void resolved.then(() => process.nextTick(run));

/**
 * Batches loads by key into one `$in` query per tick, with the union of the projections the
 * callers asked for. Its cache remembers which projection each document was read with and never
 * hands a partial document to a caller that needs more: such a load joins the next batch instead.
 * A key read already is answered with its value (`loadNow`); a promise is made only for a caller
 * that has to wait (docs/architecture.md, "Execution without waiting").
 */
export abstract class ProjectedLoader<T> {
  /** Set by the request's LoaderRegistry: metrics see every batch without the domains wiring it. */
  batchObserver: BatchObserver | undefined;
  /**
   * Set by the request's LoaderRegistry: each query gets the time left until the request's deadline
   * and the signal that ends it there whatever the server does; none is sent once the deadline has
   * passed or the caller hung up (it throws).
   */
  bounds: (() => QueryOptions) | undefined;
  /** Set by the request's LoaderRegistry, which sends waiting batches at once for `prefetch`. */
  tracker: BatchTracker | undefined;
  private readonly cache = new Map<LoaderKey, CacheEntry<T>>();
  /** The union of what this batch's callers need; owned by the loader, so grown in place. */
  private pendingProjection: Set<string> | "all" = new Set();
  private batch: Batch<T> | undefined;

  constructor(protected readonly spec: DocumentLoaderSpec) {}

  protected normalise(value: unknown): LoaderKey | undefined {
    return (this.spec.normaliseKey ?? defaultNormalise)(value);
  }

  load(key: LoaderKey, projection: Projection): Promise<T> {
    const entry = this.entryFor(key, projection);
    return entry ? promiseOf(entry) : Promise.resolve(this.miss());
  }

  /**
   * The value itself when this request already read it (with at least `projection`), a promise of
   * it otherwise; while `prefetch` runs, NOT_READ_YET instead of a promise.
   */
  loadNow(key: LoaderKey, projection: Projection): MaybePromise<T> {
    const entry = this.entryFor(key, projection);
    if (!entry) return this.miss();
    if (entry.state === "read") return entry.value as T;
    return entry.state === "reading" && this.tracker?.prefetching ? notReadYet<T>() : promiseOf(entry);
  }

  loadMany(keys: readonly LoaderKey[], projection: Projection): Promise<T[]> {
    return Promise.all(keys.map((key) => this.load(key, projection)));
  }

  /** Seeds the cache with a value read elsewhere (a list query) with the given projection. */
  prime(key: LoaderKey, value: T, projection: Projection): void {
    if (this.spec.allowKey && !this.spec.allowKey(key)) return;
    const cached = this.cache.get(key);
    if (cached && projectionCovers(cached.projection, projection)) return;
    this.cache.set(key, { projection, state: "read", value });
  }

  /** Sends the waiting batch now (prefetch); undefined when none waits. */
  dispatchNow(): Promise<void> | undefined {
    const batch = this.batch;
    if (!batch) return undefined;
    this.batch = undefined;
    const done = this.read(batch);
    this.tracker?.reading(done);
    return done;
  }

  /** The cached entry that covers `projection`, else a new one in the next batch; undefined for a key outside `allowKey`. */
  private entryFor(key: LoaderKey, projection: Projection): CacheEntry<T> | undefined {
    if (this.spec.allowKey && !this.spec.allowKey(key)) return undefined;
    const cached = this.cache.get(key);
    return cached && projectionCovers(cached.projection, projection) ? cached : this.enqueue(key, cached, projection);
  }

  /** A new entry for `key` in the next batch, with what it had (`cached`) and `projection`. */
  private enqueue(key: LoaderKey, cached: CacheEntry<T> | undefined, projection: Projection): CacheEntry<T> {
    const wanted = cached ? unionProjection(cached.projection, projection) : projection;
    // In place: one load per row of a page, so copying the growing set each time was wasted work.
    if (wanted === "all") this.pendingProjection = "all";
    else if (this.pendingProjection !== "all") for (const field of wanted) this.pendingProjection.add(field);
    const entry: CacheEntry<T> = { projection: wanted, state: "reading" };
    this.cache.set(key, entry);
    if (!this.batch) {
      this.batch = { keys: [], entries: [] };
      this.tracker?.waiting(this as ProjectedLoader<unknown>);
      afterPromiseJobs(() => void this.dispatchNow());
    }
    this.batch.keys.push(key);
    this.batch.entries.push(entry);
    return entry;
  }

  /** One query for the batch; every entry is settled, and its promise (if one was made) with it. Never rejects. */
  private async read(batch: Batch<T>): Promise<void> {
    let values: T[];
    try {
      values = await this.dispatch(batch.keys);
    } catch (error) {
      for (const entry of batch.entries) {
        entry.state = "failed";
        entry.error = error;
        entry.reject?.(error);
      }
      return;
    }
    for (let i = 0; i < batch.entries.length; i++) {
      const entry = batch.entries[i];
      entry.state = "read";
      entry.value = values[i];
      entry.resolve?.(values[i]);
    }
  }

  private async dispatch(keys: readonly LoaderKey[]): Promise<T[]> {
    const projection = unionProjection(this.pendingProjection, new Set([this.spec.keyField, ...(this.spec.alwaysFields ?? [])]));
    this.pendingProjection = new Set();
    const unique = [...new Set(keys)];
    this.batchObserver?.(this.spec.collection.collectionName, unique.length);
    const query = withKeysFirst({ [this.spec.keyField]: { $in: unique } }, this.spec.baseFilter);
    // maxTimeMS and a signal, not the driver's timeoutMS: for cursors the driver neither sends nor enforces the latter.
    const documents = await boundedQuery(this.bounds ?? UNBOUNDED, ({ maxTimeMS, signal }) => {
      const cursor = findDecoded(this.spec.collection, query, {
        projection: toMongoProjection(projection),
        batchSize: LOADER_BATCH_SIZE,
        ...(maxTimeMS ? { maxTimeMS } : {}),
        ...(signal ? { signal } : {}),
      });
      if (this.spec.sort) cursor.sort(this.spec.sort);
      return cursor.toArray();
    });
    return this.assemble(keys, documents);
  }

  /** Results in key order. */
  protected abstract assemble(keys: readonly LoaderKey[], documents: Document[]): T[];

  /** What a key without documents (or outside `allowKey`) loads as. */
  protected abstract miss(): T;
}

/** The entry's promise, made on first request: a key read ahead by `prefetch` and then found in the cache never needs one. */
function promiseOf<T>(entry: CacheEntry<T>): Promise<T> {
  if (!entry.promise) {
    if (entry.state === "read") entry.promise = Promise.resolve(entry.value as T);
    else if (entry.state === "failed") entry.promise = Promise.reject(entry.error);
    else {
      entry.promise = new Promise<T>((resolve, reject) => {
        entry.resolve = resolve;
        entry.reject = reject;
      });
    }
  }
  return entry.promise;
}

/**
 * `keys` AND `base` as one flat filter with the key condition first, e.g. `{bk_set_id: {$in: [...]},
 * bk_supplier_account: "0"}`. MongoDB plans both spellings alike, but some MongoDB-wire servers
 * (SecantusDB) only use an index for a leading top-level field and scan the collection for
 * `{$and: [...]}`. A `base` with its own `$and`/`$or` stays beside the keys (top-level conditions
 * are ANDed); only when the two share a field does it fall back to `$and`.
 */
export function withKeysFirst(keys: Filter<Document>, base: Filter<Document> | undefined): Filter<Document> {
  if (!base) return keys;
  const shared = Object.keys(base).some((field) => field in keys);
  return shared ? { $and: [keys, base] } : { ...keys, ...base };
}

/** One document per key (a primary or unique key); `null` for a miss. */
export class DocumentLoader extends ProjectedLoader<Document | null> {
  protected assemble(keys: readonly LoaderKey[], documents: Document[]): Array<Document | null> {
    const byKey = new Map<LoaderKey, Document>();
    for (const document of documents) {
      const key = this.normalise(document[this.spec.keyField]);
      // First wins: the query's sort (if any) decides which duplicate is kept.
      if (key !== undefined && !byKey.has(key)) byKey.set(key, document);
    }
    return keys.map((key) => byKey.get(key) ?? null);
  }

  protected miss(): null {
    return null;
  }
}

/** All documents whose key field equals the key (children of a parent), in the spec's sort order. */
export class DocumentListLoader extends ProjectedLoader<Document[]> {
  protected assemble(keys: readonly LoaderKey[], documents: Document[]): Document[][] {
    const byKey = new Map<LoaderKey, Document[]>();
    for (const document of documents) {
      const value = document[this.spec.keyField];
      // A multi-valued key field (an array of IPs, say) puts the document under each of its values.
      const values = Array.isArray(value) ? value : [value];
      for (const raw of values) {
        const key = this.normalise(raw);
        if (key === undefined) continue;
        const list = byKey.get(key);
        if (list) list.push(document);
        else byKey.set(key, [document]);
      }
    }
    return keys.map((key) => byKey.get(key) ?? []);
  }

  protected miss(): Document[] {
    return [];
  }
}
