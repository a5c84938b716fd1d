import { createClient, type Client } from "graphql-ws";
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import { DashboardProcessEventsDocument, DashboardSummaryUpdatesDocument, type DashboardCountsFragment } from "./generated/graphql";
import { readToken } from "./api";

/*
 * Live updates over graphql-ws (sub-protocol graphql-transport-ws) on ws://<this host>/graphql, the
 * token in connectionParams as `authorization: Bearer …` (docs/dashboards.md, "Live updates").
 * When the server does not accept the WebSocket, or answers the subscription with an error (a
 * server without subscriptions, or LIVE_UPDATES_UNAVAILABLE on a MongoDB without change streams),
 * the page polls over plain HTTP and says why. The subscriptions are typed documents of
 * operations.graphql, like the queries.
 */

export type ConnectionState = { mode: "connecting" } | { mode: "live" } | { mode: "reconnecting" } | { mode: "polling"; reason: string };

export interface LiveHandlers {
  onSummary(summary: DashboardCountsFragment): void;
  onProcessEvent(): void;
  onState(state: ConnectionState): void;
}

/** How often, while polling, the page retries the WebSocket. */
const RETRY_LIVE_MS = 60_000;

export class LiveConnection {
  private client: Client | undefined;
  private retryTimer: number | undefined;
  private everConnected = false;

  constructor(private readonly handlers: LiveHandlers) {}

  start(): void {
    this.stop();
    this.everConnected = false;
    this.handlers.onState({ mode: "connecting" });
    const url = new URL("/graphql", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const client = createClient({
      url: url.toString(),
      connectionParams: () => {
        const token = readToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      lazy: false,
      // The subscriptions' error callbacks report a failed connection; no console.error besides.
      onNonLazyError: () => undefined,
      // Reconnect only a connection that worked: a server that never accepted one has no live updates.
      retryAttempts: 6,
      shouldRetry: () => this.everConnected,
      on: {
        connected: () => {
          this.everConnected = true;
        },
        // From the moment a working connection drops (graphql-ws waits a second or more before
        // retrying), not only once the retry starts.
        closed: () => {
          if (this.everConnected && client === this.client) this.handlers.onState({ mode: "reconnecting" });
        },
      },
    });
    this.client = client;
    let acknowledged = 0;
    const subscribe = <TResult, TVariables>(document: DocumentTypeDecoration<TResult, TVariables>, next: (data: TResult) => void) =>
      client.subscribe<TResult>(
        // Codegen's string documents carry the fragments they spread.
        { query: String(document) },
        {
          next: (result) => {
            if (result.errors?.length) {
              const code = result.errors[0].extensions?.code;
              this.fallBack(code === "LIVE_UPDATES_UNAVAILABLE" ? "live updates unavailable on this server (MongoDB without change streams)" : `live updates refused: ${result.errors[0].message}`);
              return;
            }
            if (result.data) {
              acknowledged += 1;
              if (client === this.client) this.handlers.onState({ mode: "live" });
              next(result.data);
            }
          },
          error: (error: unknown) => {
            if (client !== this.client) return;
            this.fallBack(describe(error, this.everConnected));
          },
          complete: () => {
            if (client === this.client && acknowledged > 0) this.fallBack("the server ended the live updates");
          },
        },
      );
    subscribe(DashboardSummaryUpdatesDocument, (data) => this.handlers.onSummary(data.dashboardSummaryUpdates));
    subscribe(DashboardProcessEventsDocument, () => this.handlers.onProcessEvent());
  }

  private fallBack(reason: string): void {
    this.stop();
    this.handlers.onState({ mode: "polling", reason });
    this.retryTimer = window.setTimeout(() => this.start(), RETRY_LIVE_MS);
  }

  stop(): void {
    window.clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    void client?.dispose();
  }
}

function describe(error: unknown, everConnected: boolean): string {
  if (Array.isArray(error)) {
    const first = error[0] as { message?: string; extensions?: { code?: string } } | undefined;
    if (first?.extensions?.code === "LIVE_UPDATES_UNAVAILABLE") return "live updates unavailable on this server (MongoDB without change streams)";
    return `live updates refused: ${first?.message ?? "error"}`;
  }
  if (typeof CloseEvent !== "undefined" && error instanceof CloseEvent) {
    if (!everConnected) return "this server does not accept live updates (WebSocket refused)";
    return `the live connection closed (${error.code}${error.reason ? `: ${error.reason}` : ""})`;
  }
  return everConnected ? "the live connection was lost" : "this server does not accept live updates (WebSocket refused)";
}
