import type { MongoClient } from "mongodb";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { LimitName } from "../graphql/limits";

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Distinct operation names that get a label value of their own; later ones share OTHER_OPERATIONS. */
export const MAX_OPERATION_LABELS = 100;
/** Not a GraphQL name, so no operation can be called this. */
export const OTHER_OPERATIONS = "(other)";

/**
 * Client-chosen names become label values, so their number is bounded: the first
 * MAX_OPERATION_LABELS distinct valid names seen keep their own value for the life of the process
 * (a series never disappears or changes meaning), every later one is counted as OTHER_OPERATIONS,
 * and anything that is not a GraphQL name as "invalid_name". Dashboards' operations, sent from
 * the first minutes on, keep their names; a flood of made-up names costs one series.
 */
export class OperationLabels {
  private readonly named = new Set<string>();

  constructor(private readonly max = MAX_OPERATION_LABELS) {}

  label(name: string | null | undefined): string {
    if (!name) return "anonymous";
    if (!OPERATION_NAME.test(name)) return "invalid_name";
    if (this.named.has(name)) return name;
    if (this.named.size >= this.max) return OTHER_OPERATIONS;
    this.named.add(name);
    return name;
  }
}

/**
 * How often the event-loop lag (`procgraph_nodejs_eventloop_lag_*`) is sampled. prom-client's
 * default, every 10 ms, wakes the process 100 times a second: about 5 ms of CPU per second of an
 * idle server, which also lands on every request. A lag worth an alert lasts longer than 100 ms.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/** The Prometheus metrics of one procgraph instance (its own registry: several can share a process in tests). */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: "procgraph_http_requests_total",
    help: "HTTP requests by route and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });

  readonly graphqlRequests = new Counter({
    name: "procgraph_graphql_requests_total",
    help: "GraphQL requests by operation name and outcome (success, error, refused).",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: "procgraph_graphql_request_duration_seconds",
    help: "GraphQL request duration by operation name and outcome.",
    labelNames: ["operation", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly mongoCommands = new Counter({
    name: "procgraph_mongodb_commands_total",
    help: "MongoDB commands by command name and outcome.",
    labelNames: ["command", "outcome"] as const,
    registers: [this.registry],
  });

  readonly mongoDuration = new Histogram({
    name: "procgraph_mongodb_command_duration_seconds",
    help: "MongoDB command duration by command name.",
    labelNames: ["command"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly loaderBatchSize = new Histogram({
    name: "procgraph_loader_batch_size",
    help: "Keys per loader batch (one MongoDB query each), by collection.",
    labelNames: ["collection"] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
    registers: [this.registry],
  });

  readonly limitRefusals = new Counter({
    name: "procgraph_limit_refusals_total",
    help: "Requests refused by a query limit, by limit.",
    labelNames: ["limit"] as const,
    registers: [this.registry],
  });

  readonly operationLabels = new OperationLabels();

  private authState: () => Record<string, number> = () => ({});

  // Read when scraped: the sizes of the bounded per-token and per-address state of authentication.
  readonly authStateEntries: Gauge<"state"> = new Gauge({
    name: "procgraph_auth_state_entries",
    help: "Entries kept by authentication: known and unknown tokens cached, client addresses throttled.",
    labelNames: ["state"] as const,
    registers: [this.registry],
    collect: () => {
      for (const [state, entries] of Object.entries(this.authState())) this.authStateEntries.set({ state }, entries);
    },
  });

  readonly unhandledRejections = new Counter({
    name: "procgraph_unhandled_rejections_total",
    help: "Promise rejections nobody handled (each one a bug); logged at error level, the process goes on.",
    registers: [this.registry],
  });

  readonly subscriptionsActive = new Gauge({
    name: "procgraph_subscriptions_active",
    help: "GraphQL subscriptions and PaaS watches open now, by transport (ws, sse, paas_watch).",
    labelNames: ["transport"] as const,
    registers: [this.registry],
  });
  readonly subscriptionEvents = new Counter({
    name: "procgraph_subscription_events_sent_total",
    help: "Live events sent to subscribers, by field.",
    labelNames: ["field"] as const,
    registers: [this.registry],
  });
  readonly subscriptionExecutions = new Counter({
    name: "procgraph_subscription_executions_total",
    help: "Live event payloads resolved for subscribers: shared=\"true\" reused the execution of an identical subscription (same operation, variables and scope), shared=\"false\" ran one.",
    labelNames: ["shared"] as const,
    registers: [this.registry],
  });
  readonly subscriptionEventsDropped = new Counter({
    name: "procgraph_subscription_events_dropped_total",
    help: "Live events never delivered, by reason (slow_consumer: the changes queued for a subscriber ended as too slow, and the one that overflowed its buffer).",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  private admissionQueue: () => number = () => 0;

  // Read when scraped, not set on every admission: the hot path stays free of metric updates.
  readonly admissionQueueLength: Gauge = new Gauge({
    name: "procgraph_admission_queue_length",
    help: "Requests waiting for one of the MAX_CONCURRENT_REQUESTS slots.",
    registers: [this.registry],
    collect: () => this.admissionQueueLength.set(this.admissionQueue()),
  });

  readonly overloadRefusals = new Counter({
    name: "procgraph_overload_refusals_total",
    help: "Requests refused with OVERLOADED, by reason (queue_full, deadline).",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "procgraph_", eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  /** The admission control reports its queue through this (read when the metrics are scraped). */
  observeAdmissionQueue(length: () => number): void {
    this.admissionQueue = length;
  }

  /** Authentication reports the sizes of its caches through this (read when scraped). */
  observeAuthState(entries: () => Record<string, number>): void {
    this.authState = entries;
  }

  refused(limit: LimitName): void {
    this.limitRefusals.inc({ limit });
  }

  /** Counts every command the client sends (through the driver's command monitoring). */
  instrumentMongoClient(client: MongoClient): () => void {
    const succeeded = (event: { commandName: string; duration: number }) => {
      this.mongoCommands.inc({ command: event.commandName, outcome: "success" });
      this.mongoDuration.observe({ command: event.commandName }, event.duration / 1000);
    };
    const failed = (event: { commandName: string; duration: number }) => {
      this.mongoCommands.inc({ command: event.commandName, outcome: "error" });
      this.mongoDuration.observe({ command: event.commandName }, event.duration / 1000);
    };
    client.on("commandSucceeded", succeeded);
    client.on("commandFailed", failed);
    return () => {
      client.off("commandSucceeded", succeeded);
      client.off("commandFailed", failed);
    };
  }
}
