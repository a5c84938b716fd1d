import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { createClient as createSseClient, type Client as SseClient } from "graphql-sse";
import WebSocket from "ws";

export interface Received {
  /** Every message: `{data}` or `{errors}`. */
  readonly messages: Array<{ data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the server completes the subscription. */
  readonly completed: Promise<void>;
  unsubscribe(): void;
}

/** Subscribes with a real client (graphql-ws or graphql-sse) and records what arrives. */
export function record(client: WsClient | SseClient, query: string, variables: Record<string, unknown> = {}): Received {
  const messages: Received["messages"] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let complete!: () => void;
  let failed!: (error: unknown) => void;
  const completed = new Promise<void>((resolve, reject) => {
    complete = resolve;
    failed = reject;
  });
  completed.catch(() => undefined);
  const unsubscribe = (client as WsClient).subscribe(
    { query, variables },
    {
      next: (message) => {
        messages.push(message as Received["messages"][number]);
        for (const waiter of [...waiters]) if (messages.length >= waiter.count) waiter.resolve();
      },
      error: (error) => {
        if (Array.isArray(error)) {
          messages.push({ errors: error as never });
          for (const waiter of [...waiters]) if (messages.length >= waiter.count) waiter.resolve();
          complete();
        } else failed(error);
      },
      complete: () => complete(),
    },
  );
  return {
    messages,
    completed,
    unsubscribe,
    waitFor(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${count} messages, got ${messages.length}: ${JSON.stringify(messages)}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

export function wsClient(url: string, token?: string): WsClient {
  return createWsClient({
    url: url.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export function sseClient(url: string, token?: string): SseClient {
  return createSseClient({
    url: `${url}/graphql/stream`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
}

/** The change stream is shared and opens on the first subscriber: give a new subscription time to be registered. */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/** Waits until the server reports `count` open subscriptions (procgraph_subscriptions_active, all transports). */
export async function waitActive(baseUrl: string, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  while (Date.now() < deadline) {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    seen = text
      .split("\n")
      .filter((line) => line.startsWith("procgraph_subscriptions_active{"))
      .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
    if (seen === count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected ${count} active subscriptions, the server reports ${seen}`);
}
