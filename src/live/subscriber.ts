import { GraphQLError } from "graphql";
import { HistoryLostError, type Change, type ChangeFeed, type FeedListener, type FeedLost, type ReplayStart } from "./feed";

/**
 * Where a shareable event came from: the change (the same object for every subscriber of the live
 * feed) and its place among the events interpreted from it. Identical subscriptions share the
 * execution of the event through it (docs/graph.md "Live updates", "Sharing").
 */
export interface EventOrigin {
  change: Change;
  index: number;
}

/** What a subscription yields: an event, or the error that ends it (the field resolver throws it). */
export type LivePayload<T> = { kind: "event"; event: T; origin?: EventOrigin } | { kind: "end"; error: GraphQLError };

export const LiveCode = {
  unavailable: "LIVE_UPDATES_UNAVAILABLE",
  expired: "CURSOR_EXPIRED",
  slow: "SLOW_CONSUMER",
  revoked: "UNAUTHENTICATED",
  shutdown: "SHUTTING_DOWN",
} as const;

export function liveError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export interface SubscriberOptions<T> {
  /** Cheap and synchronous: false drops the change before it is queued (scope, arguments). */
  accept(change: Change): boolean;
  /** The event (or events) for a change, or undefined to skip it (may read MongoDB; runs in order, one at a time). */
  interpret(change: Change): Promise<T | T[] | undefined> | T | T[] | undefined;
  /** Changes queued for this subscriber at most; past it the subscriber is ended as too slow. */
  bufferSize: number;
  /** Replay from this cursor's token first. */
  afterToken?: string;
  /** Or replay from this point of the history (the PaaS watch: a time window). */
  replayFrom?: ReplayStart;
  /** Re-checks the caller's token; false ends the subscription. */
  reauthorize?: () => Promise<boolean>;
  reauthorizeEveryMs?: number;
  /** Several queued changes make one event: `interpret` calls `drain()` once it is ready to read. */
  coalesce?: boolean;
  /**
   * The events depend on the change, the arguments and the scope alone (not on what this
   * subscriber saw before): each carries its origin, so identical subscriptions execute it once.
   */
  share?: boolean;
  /** The first event, sent at once. */
  initial?: () => Promise<T>;
  /** The subscription ends after handing out an event for which this is true (an error event). */
  final?: (event: T) => boolean;
  /** Called before each payload is handed out (renews the per-event loaders). */
  beforeYield?: () => void;
  onEvent?: () => void;
  onDropped?: (reason: string, changes: number) => void;
  onEnd?: (reason: string) => void;
}

/**
 * One subscription's view of the shared change feed: a bounded queue filled by the feed's
 * listener and drained by the transport through the async iterator. A consumer that falls
 * `bufferSize` changes behind is ended with SLOW_CONSUMER (its queue is dropped, so memory stays
 * flat). With `afterToken`, the missed changes are replayed from the database's history first;
 * changes the live feed delivers meanwhile are kept and deduplicated by their token.
 */
export class Subscriber<T> implements AsyncIterableIterator<LivePayload<T>>, FeedListener {
  private queue: Change[] = [];
  /** Events interpreted from one change (or injected) and not handed out yet; made when first needed. */
  private outbox: Array<{ event: T; origin?: EventOrigin }> | undefined;
  private ending: GraphQLError | undefined;
  private done = false;
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private replaying: { seen: Set<string>; held: Change[] } | undefined;
  private readonly signal = { stopped: false };
  private timer: NodeJS.Timeout | undefined;
  private endReason = "complete";
  private started = false;
  private finalSent = false;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly options: SubscriberOptions<T>,
  ) {}

  /** Starts listening (and replaying); rejects with a GraphQLError the transport sends as is. */
  async start(): Promise<this> {
    if (!(await this.feed.available())) throw liveError(LiveCode.unavailable, "live updates need a MongoDB replica set (change streams); this server is a standalone");
    const replayFrom = this.options.replayFrom ?? (this.options.afterToken ? { token: this.options.afterToken } : undefined);
    if (replayFrom) this.replaying = { seen: new Set(), held: [] };
    this.unsubscribe = await this.feed.subscribe(this);
    if (this.options.reauthorize) {
      this.timer = setInterval(() => void this.recheck(), this.options.reauthorizeEveryMs ?? 30_000);
      this.timer.unref();
    }
    if (replayFrom) {
      try {
        await this.feed.replay(replayFrom, (change) => {
          this.replaying?.seen.add(change.token);
          if (this.options.accept(change)) this.push(change);
        }, this.signal);
      } catch (error) {
        this.close("replay failed");
        if (error instanceof HistoryLostError) throw liveError(LiveCode.expired, "after: the cursor is older than the retained history; list again, then subscribe");
        throw new GraphQLError("after: not a cursor of this subscription", { extensions: { code: "BAD_USER_INPUT", argumentName: "after" } });
      }
      const { seen, held } = this.replaying!;
      this.replaying = undefined;
      for (const change of held) if (!seen.has(change.token)) this.push(change);
    }
    this.started = true;
    return this;
  }

  change(change: Change): void {
    if (this.done || this.ending || !this.options.accept(change)) return;
    if (this.replaying) {
      this.replaying.held.push(change);
      if (this.replaying.held.length > this.options.bufferSize) this.slow();
      return;
    }
    this.push(change);
  }

  lost(reason: FeedLost): void {
    // Shutdown completes the subscription (a clean end the client reconnects after); the rest are errors.
    if (reason.code === "SHUTTING_DOWN") return this.close("shutting_down");
    this.end(liveError(reason.code, reason.message), reason.code.toLowerCase());
  }

  private push(change: Change): void {
    if (this.done || this.ending) return;
    if (this.queue.length >= this.options.bufferSize) return this.slow();
    this.queue.push(change);
    this.wake?.();
  }

  private slow(): void {
    // Every change it had not received: the queued ones, the held ones of a replay, and this one.
    this.options.onDropped?.("slow_consumer", this.queue.length + (this.replaying?.held.length ?? 0) + 1);
    if (this.replaying) this.replaying.held = [];
    this.end(liveError(LiveCode.slow, `the subscriber fell ${this.options.bufferSize} events behind and was closed; subscribe again with the last cursor`), "slow_consumer");
    // Off the feed now, not once the transport reads its end: a client that does not read at all
    // (its socket full) holds no listener and gets no more changes while it stalls.
    this.signal.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  private async recheck(): Promise<void> {
    try {
      if (this.options.reauthorize && !(await this.options.reauthorize())) this.end(liveError(LiveCode.revoked, "the token was revoked"), "revoked");
    } catch {
      // An outage while re-checking keeps the subscription: the token is checked again next time.
    }
  }

  /** Ends with `error` as the last payload; queued events are dropped. */
  end(error: GraphQLError, reason: string): void {
    if (this.done || this.ending) return;
    this.queue = [];
    this.ending = error;
    this.endReason = reason;
    this.wake?.();
  }

  /** Hands `event` out next (after what is already interpreted). */
  inject(event: T): void {
    (this.outbox ??= []).push({ event });
    this.wake?.();
  }

  /** Drops the queued changes (a coalescing subscriber reads the state they led to once). */
  drain(): void {
    this.queue = [];
  }

  async next(): Promise<IteratorResult<LivePayload<T>>> {
    if (this.options.initial && !this.done && !this.ending) {
      const initial = this.options.initial;
      this.options.initial = undefined;
      return this.hand(await initial());
    }
    if (this.finalSent) this.close("error");
    for (;;) {
      if (this.done) return { done: true, value: undefined };
      const ready = this.outbox?.shift();
      if (ready !== undefined && !this.ending) return this.hand(ready.event, ready.origin);
      if (this.ending) {
        const error = this.ending;
        this.close(this.endReason);
        this.options.beforeYield?.();
        return { done: false, value: { kind: "end", error } };
      }
      const change = this.queue.shift();
      if (!change) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const event = await this.options.interpret(change);
      if (event === undefined || this.done) continue;
      const share = this.options.share === true;
      if (Array.isArray(event)) {
        this.outbox ??= [];
        for (const [index, one] of event.entries()) this.outbox.push({ event: one, origin: share ? { change, index } : undefined });
        continue;
      }
      return this.hand(event, share ? { change, index: 0 } : undefined);
    }
  }

  private hand(event: T, origin?: EventOrigin): IteratorResult<LivePayload<T>> {
    if (this.options.final?.(event)) this.finalSent = true;
    this.options.onEvent?.();
    this.options.beforeYield?.();
    return { done: false, value: origin ? { kind: "event", event, origin } : { kind: "event", event } };
  }

  async return(): Promise<IteratorResult<LivePayload<T>>> {
    this.close("complete");
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<LivePayload<T>>> {
    this.close("error");
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.signal.stopped = true;
    this.queue = [];
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    this.wake?.();
    if (this.started) this.options.onEnd?.(reason);
  }
}
