import type { ChangeStream, ChangeStreamDocument, Db, Document, ResumeToken, Timestamp } from "mongodb";
import type { Logger } from "pino";

/** One write to a watched collection, as every live transport sees it (docs/graph.md "Live updates"). */
export interface Change {
  /** The resume token's `_data`: the position of this write in the database's history. */
  token: string;
  /** The collection's logical name (without the CMDB tenant prefix). */
  collection: string;
  operation: "insert" | "update" | "replace" | "delete";
  /** The document after the write (`updateLookup`), null for a delete or a document gone since. */
  after: Document | null;
  /** The document before the write (a pre-image), null where the collection keeps none. */
  before: Document | null;
  documentKey: Document;
}

export interface FeedListener {
  change(change: Change): void;
  /** The shared stream lost its history (or the database cannot stream): every subscriber must end. */
  lost(reason: FeedLost): void;
}

/** Where a replay starts: after a change (a cursor's token), or at a cluster time. */
export type ReplayStart = { token: string } | { time: Timestamp };

export type FeedLost = { code: "CURSOR_EXPIRED" | "LIVE_UPDATES_UNAVAILABLE" | "SHUTTING_DOWN"; message: string };

/** A resume cursor older than the retained history (MongoDB's ChangeStreamHistoryLost). */
export class HistoryLostError extends Error {
  override name = "HistoryLostError";
}

const HISTORY_LOST = 286;
const MAX_RESTART_DELAY_MS = 5_000;

export const isHistoryLost = (error: unknown): boolean => (error as { code?: number })?.code === HISTORY_LOST;

/**
 * One change stream per procgraph process over every watched collection (a database-level stream
 * with a server-side `$match` on the collection names), started on the first subscriber and shared
 * by all of them: subscribers add no cursor, only a listener. A single stream gives one total order,
 * so one resume token is an exact position for every subscription (docs/graph.md "Live updates").
 * Deletes carry the deleted document through pre-images, which the feed turns on for each watched
 * collection (`changeStreamPreAndPostImages`).
 */
export class ChangeFeed {
  private readonly listeners = new Set<FeedListener>();
  private stream: ChangeStream | undefined;
  private starting: Promise<void> | undefined;
  private lastToken: ResumeToken | undefined;
  private closed = false;
  private readonly logical: ReadonlyMap<string, string>;
  private availability: Promise<boolean> | undefined;

  /** `collections`: physical name → logical name. */
  constructor(
    private readonly db: Db,
    collections: ReadonlyMap<string, string>,
    private readonly logger: Logger,
    private readonly onChange: (change: Change) => void = () => undefined,
  ) {
    this.logical = collections;
  }

  /** Whether the server can stream changes (a replica set or a sharded cluster); asked once. */
  available(): Promise<boolean> {
    this.availability ??= this.db
      .admin()
      .command({ hello: 1 })
      .then(
        (hello) => Boolean(hello.setName) || hello.msg === "isdbgrid",
        () => false,
      );
    return this.availability;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The aggregation pipeline of the shared stream and of every replay. */
  pipeline(): Document[] {
    return [{ $match: { "ns.db": this.db.databaseName, "ns.coll": { $in: [...this.logical.keys()] } } }];
  }

  /** Adds a listener; resolves once the shared stream is open (so no later write is missed). */
  async subscribe(listener: FeedListener): Promise<() => void> {
    if (this.closed) throw new Error("the change feed is closed");
    this.listeners.add(listener);
    try {
      await this.start();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => this.listeners.delete(listener);
  }

  /**
   * The writes after `token`, read from the database's history with a stream of its own, until
   * it has caught up; then it closes. Throws HistoryLostError for a token older than the history.
   */
  async replay(from: ReplayStart, deliver: (change: Change) => void, signal: { stopped: boolean }): Promise<void> {
    const stream = this.db.watch(this.pipeline(), {
      ...STREAM_OPTIONS,
      ...("token" in from ? { resumeAfter: { _data: from.token } } : { startAtOperationTime: from.time }),
      maxAwaitTimeMS: 50,
    });
    try {
      for (;;) {
        if (signal.stopped) return;
        const next = await stream.tryNext();
        if (!next) return;
        const change = this.toChange(next);
        if (change) deliver(change);
      }
    } catch (error) {
      if (isHistoryLost(error)) throw new HistoryLostError("the cursor is older than the retained history");
      throw error;
    } finally {
      await stream.close().catch(() => undefined);
    }
  }

  private start(): Promise<void> {
    this.starting ??= this.open().catch((error) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /**
   * Turns on pre-images for the watched collections (creating those in `create` if missing);
   * refusals are logged once. At start for what exists and procgraph's own collections, so a
   * delete made before the first subscriber still carries its keys when it is replayed.
   */
  async enablePreImages(create: (name: string) => boolean = () => true): Promise<void> {
    const collections = await this.db.listCollections({}).toArray();
    const existing = new Set(collections.map((c) => c.name));
    // Already on (every start after the first): nothing to write.
    const enabled = new Set(collections.filter((c) => (c as { options?: { changeStreamPreAndPostImages?: { enabled?: boolean } } }).options?.changeStreamPreAndPostImages?.enabled === true).map((c) => c.name));
    const refused: string[] = [];
    for (const name of this.logical.keys()) {
      if (enabled.has(name)) continue;
      if (!existing.has(name) && !create(name)) continue;
      try {
        if (existing.has(name)) await this.db.command({ collMod: name, changeStreamPreAndPostImages: { enabled: true } });
        else await this.db.createCollection(name, { changeStreamPreAndPostImages: { enabled: true } });
      } catch (error) {
        // Created meanwhile by a writer: collMod it.
        if ((error as { code?: number }).code === 48) {
          await this.db.command({ collMod: name, changeStreamPreAndPostImages: { enabled: true } }).catch(() => refused.push(name));
        } else {
          refused.push(name);
        }
      }
    }
    if (refused.length > 0) {
      this.logger.warn({ collections: refused }, "live updates: pre-images could not be enabled; deletes in these collections reach no subscriber (docs/graph.md)");
    }
  }

  private async open(): Promise<void> {
    await this.enablePreImages();
    await this.openStream(this.lastToken);
  }

  /** Opens the shared stream; resolves once the server has established its start (the first batch). */
  private async openStream(resumeAfter: ResumeToken | undefined): Promise<void> {
    const stream = this.db.watch(this.pipeline(), { ...STREAM_OPTIONS, ...(resumeAfter ? { resumeAfter } : {}) });
    this.stream = stream;
    const first = await stream.tryNext();
    if (first) this.dispatch(first);
    void this.pump(stream);
  }

  private async pump(stream: ChangeStream): Promise<void> {
    try {
      while (!this.closed && this.stream === stream) this.dispatch(await stream.next());
    } catch (error) {
      await this.restart(stream, error);
    }
  }

  private dispatch(next: ChangeStreamDocument): void {
    this.lastToken = next._id;
    const change = this.toChange(next);
    if (!change) return;
    this.onChange(change);
    for (const listener of [...this.listeners]) listener.change(change);
  }

  /** The driver resumes transient errors itself; what reaches here reopens from the last token. */
  private async restart(failed: ChangeStream, error: unknown, attempt = 0): Promise<void> {
    if (this.closed || this.stream !== failed) return;
    await failed.close().catch(() => undefined);
    if (isHistoryLost(error)) {
      this.logger.error("live updates: the change stream's history was lost; every subscription ends with CURSOR_EXPIRED");
      this.lastToken = undefined;
      this.broadcastLost({ code: "CURSOR_EXPIRED", message: "the server lost its place in the change history: list again, then subscribe" });
    } else {
      this.logger.warn({ err: error, attempt }, "live updates: change stream failed; reopening");
    }
    await new Promise((r) => setTimeout(r, Math.min(MAX_RESTART_DELAY_MS, 200 * 2 ** attempt)).unref());
    if (this.closed) return;
    try {
      await this.openStream(this.lastToken);
    } catch (next) {
      await this.restart(this.stream ?? failed, next, attempt + 1);
    }
  }

  private broadcastLost(reason: FeedLost): void {
    for (const listener of [...this.listeners]) listener.lost(reason);
  }

  private toChange(next: ChangeStreamDocument): Change | undefined {
    if (!("ns" in next) || !("documentKey" in next)) return undefined;
    const collection = this.logical.get(next.ns.coll ?? "");
    if (!collection) return undefined;
    const operation = next.operationType;
    if (operation !== "insert" && operation !== "update" && operation !== "replace" && operation !== "delete") return undefined;
    return {
      token: (next._id as { _data: string })._data,
      collection,
      operation,
      after: ("fullDocument" in next ? (next.fullDocument as Document | null | undefined) : null) ?? null,
      before: ("fullDocumentBeforeChange" in next ? (next.fullDocumentBeforeChange as Document | null | undefined) : null) ?? null,
      documentKey: next.documentKey as Document,
    };
  }

  /** Ends every subscription (shutdown) and the shared stream. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.broadcastLost({ code: "SHUTTING_DOWN", message: "the server is shutting down" });
    this.listeners.clear();
    await this.stream?.close().catch(() => undefined);
  }
}

const STREAM_OPTIONS = { fullDocument: "updateLookup", fullDocumentBeforeChange: "whenAvailable" } as const;
