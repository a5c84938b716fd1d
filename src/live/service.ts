import type { IncomingHttpHeaders } from "node:http";
import { GraphQLError } from "graphql";
import type { Db, Document, MongoClient } from "mongodb";
import type { Logger } from "pino";
import type { AccessScope } from "../auth/scope";
import type { AppConfig } from "../config";
import type { QueryOptions } from "../db/health";
import { CmdbStore } from "../cmdb/providers/store";
import { createRequestContext, type AppDeps, type NodeLookup, type RequestAccess, type RequestContext } from "../graphql/context";
import type { LoaderRegistry } from "../graphql/loaders";
import { CrossModelStore } from "../crossmodel/providers/store";
import { cmdbProcessAdapter, paasProcessAdapter } from "../crossmodel/providers/processes";
import { AccessScope as Scope } from "../auth/scope";
import { ProcessSource } from "../graphql/process";
import { appCodeOfKey } from "../paas/ids";
import { PaasStore } from "../paas/providers/store";
import { ChangeFeed, type Change } from "./feed";
import { WATCHED_CMDB, WATCHED_PAAS, type ProcessFacts, type ProcessTouch } from "./events";
import { SharedExecutions } from "./sharing";
import { Subscriber, type SubscriberOptions } from "./subscriber";

export interface LiveMetrics {
  subscriptionStarted(transport: string): void;
  subscriptionEnded(transport: string, reason: string): void;
  eventSent(field: string): void;
  /** `count` changes a subscriber will never receive (it was ended as too slow). */
  eventDropped(reason: string, count: number): void;
  /** One event payload executed for a subscriber (`shared`: it got the result of an identical subscription's execution). */
  eventExecuted?(shared: boolean): void;
}

const noMetrics: LiveMetrics = { subscriptionStarted() {}, subscriptionEnded() {}, eventSent() {}, eventDropped() {} };

/**
 * The context of one subscription: what a request context has, with fresh loaders and a fresh
 * deadline for each event (an event resolves like a query of its own, so nothing read for one
 * event is served stale to the next).
 */
export class SubscriptionContext implements RequestContext {
  /** Made on first use after each renewal: an event whose selection reads nothing costs no context. */
  private current: RequestContext | undefined;
  /** The connection's subscription slots (graphql-ws: one connection, many subscriptions). */
  slots: { active: number; max: number } | undefined;
  /** Identical subscriptions (operation, variables, scope by value) have the same key and share executions. */
  shareKey: string | undefined;
  constructor(
    private readonly deps: AppDeps,
    private readonly request: { requestId: string; headers: IncomingHttpHeaders },
    private readonly access: RequestAccess,
    readonly live: LiveService,
    readonly transport: string,
  ) {
  }

  renew(): void {
    this.current = undefined;
  }

  private get now(): RequestContext {
    this.current ??= createRequestContext(this.deps, { requestId: this.request.requestId, headers: this.request.headers }, this.access);
    return this.current;
  }

  // What does not change between events is read here, so that an idle subscription holds no request context.
  get requestId(): string { return this.request.requestId; }
  get config(): AppConfig { return this.deps.config; }
  get client(): MongoClient { return this.deps.client; }
  get db(): Db { return this.deps.db; }
  get headers(): IncomingHttpHeaders { return this.request.headers; }
  get logger(): Logger { return this.now.logger; }
  get loaders(): LoaderRegistry { return this.now.loaders; }
  get principal(): string { return this.access.principal; }
  get anonymous(): boolean { return this.access.anonymous; }
  get scope(): AccessScope { return this.access.scope; }
  get nodes(): NodeLookup { return this.now.nodes; }
  get deadline(): number { return this.now.deadline; }
  query<T>(run: (options: QueryOptions) => Promise<T>): Promise<T> { return this.now.query(run); }
}

export interface LiveOptions {
  bufferSize: number;
  reauthorizeEveryMs: number;
}

/** The change feed of this process and what every live transport shares (docs/graph.md "Live updates"). */
export class LiveService {
  readonly feed: ChangeFeed;
  /** The transports' `subscribe`: one execution per event for identical subscriptions. */
  readonly shared: SharedExecutions;
  private readonly facts = new WeakMap<Change, Promise<ProcessFacts>>();
  private readonly systemAccess: RequestAccess = { principal: "live", anonymous: false, scope: Scope.ALL };

  constructor(
    private readonly deps: AppDeps,
    readonly options: LiveOptions,
    readonly metrics: LiveMetrics = noMetrics,
  ) {
    const prefix = deps.config.cmdbCollectionPrefix;
    const collections = new Map<string, string>([
      ...WATCHED_CMDB.map((name): [string, string] => [`${prefix}${name}`, name]),
      ...WATCHED_PAAS.map((name): [string, string] => [name, name]),
    ]);
    this.feed = new ChangeFeed(deps.db, collections, deps.logger);
    this.shared = new SharedExecutions((shared) => metrics.eventExecuted?.(shared));
  }

  /**
   * At start: logs once when this database cannot stream changes; otherwise turns on pre-images
   * (deletes carry their keys) for the watched collections that exist and creates procgraph's own.
   */
  async announce(): Promise<void> {
    if (!(await this.feed.available())) {
      this.deps.logger.warn("live updates are off: MongoDB is a standalone server (change streams need a replica set); subscriptions answer LIVE_UPDATES_UNAVAILABLE, queries work as before");
      return;
    }
    await this.feed.enablePreImages((name) => name.startsWith("paas_")).catch((err) => this.deps.logger.warn({ err }, "live updates: could not enable pre-images"));
  }

  context(request: { requestId: string; headers: IncomingHttpHeaders }, access: RequestAccess, transport: string): SubscriptionContext {
    return new SubscriptionContext(this.deps, request, access, this, transport);
  }

  /** Starts a subscriber with the context's per-event renewal and the transport's metrics. */
  async subscribe<T>(ctx: SubscriptionContext, field: string, options: Omit<SubscriberOptions<T>, "bufferSize" | "beforeYield">): Promise<Subscriber<T>> {
    const reauthorize = (ctx as { reauthorize?: () => Promise<boolean> }).reauthorize;
    const slots = ctx.slots;
    if (slots && slots.active >= slots.max) {
      throw new GraphQLError(`at most ${slots.max} subscriptions per connection`, { extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } });
    }
    const subscriber = new Subscriber<T>(this.feed, {
      bufferSize: this.options.bufferSize,
      reauthorize,
      reauthorizeEveryMs: this.options.reauthorizeEveryMs,
      ...options,
      beforeYield: () => ctx.renew(),
      onEvent: () => this.metrics.eventSent(field),
      onDropped: (reason, count) => this.metrics.eventDropped(reason, count),
      onEnd: (reason) => {
        if (slots) slots.active -= 1;
        this.metrics.subscriptionEnded(ctx.transport, reason);
        this.deps.logger.info({ requestId: ctx.requestId, field, principal: ctx.principal, transport: ctx.transport, reason }, "subscription ended");
      },
    });
    if (slots) slots.active += 1;
    try {
      await subscriber.start();
    } catch (error) {
      if (slots) slots.active -= 1;
      throw error;
    }
    // What the subscribe step read (a PaaS list, a first check) is not kept while the subscription idles.
    ctx.renew();
    this.metrics.subscriptionStarted(ctx.transport);
    // The root logger with the request id: a child logger (or a request context) held by every idle subscription costs memory.
    this.deps.logger.info({ requestId: ctx.requestId, field, principal: ctx.principal, transport: ctx.transport }, "subscription started");
    return subscriber;
  }

  /**
   * What a process filter needs beyond the change: the process now (its pre-image for a delete),
   * its host IPs, its app's business. Read once per change with full access, whichever subscriber
   * asks first; each subscriber then applies its own scope.
   */
  processFacts(change: Change, touch: ProcessTouch): Promise<ProcessFacts> {
    let facts = this.facts.get(change);
    if (!facts) {
      facts = this.readFacts(touch);
      this.facts.set(change, facts);
    }
    return facts;
  }

  private async readFacts(touch: ProcessTouch): Promise<ProcessFacts> {
    const ctx = createRequestContext(this.deps, { requestId: "live", headers: {} }, this.systemAccess);
    let process: Document | null = touch.process;
    if (!process || touch.type !== "DELETED") {
      const found =
        touch.source === ProcessSource.CMDB
          ? await CmdbStore.of(ctx).processOfAnyScope(touch.key as number)
          : await PaasStore.of(ctx).processOfAnyScope(String(touch.key));
      process = found ?? process;
    }
    if (!process) return { process: null, hostIps: [], linkedBusiness: undefined };
    const adapter = touch.source === ProcessSource.CMDB ? cmdbProcessAdapter : paasProcessAdapter;
    const [hostIps, linkedBusiness] = await Promise.all([
      adapter.hostIps(ctx, process),
      touch.source === ProcessSource.PAAS ? CrossModelStore.of(ctx).businessOfApp(appCodeOfKey(String(touch.key))) : Promise.resolve(undefined),
    ]);
    return { process, hostIps, linkedBusiness };
  }

  close(): Promise<void> {
    return this.feed.close();
  }
}
