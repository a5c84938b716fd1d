import type { IncomingHttpHeaders } from "node:http";
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from "graphql";
import { ownerFromHeaders } from "../cmdb/providers/store";
import type { RequestAccess } from "../graphql/context";
import type { Change } from "./feed";
import type { LivePayload } from "./subscriber";

/**
 * What makes two subscriptions identical: the operation's text, its name and variables, and what
 * the caller may see, compared by value: the access scope (canonical JSON, sorted), anonymity and
 * the CMDB owner (supplier account) its headers select. Different keys never share a result.
 */
export function shareKey(query: string, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, access: RequestAccess, headers: IncomingHttpHeaders): string {
  return JSON.stringify([query, operationName ?? null, variables ?? null, access.scope.toJSON(), access.anonymous, ownerFromHeaders(headers)]);
}

/** A context that may carry the key of its subscription (set by the transports). */
interface Shareable {
  shareKey?: string;
}

/**
 * The transports' `subscribe`: graphql-js's source stream, each payload executed with the
 * subscription's document, except that identical subscriptions (the same `shareKey`) execute an
 * event of the live feed once and all get that result (docs/graph.md "Live updates", "Sharing").
 * Results are kept beside the change they come from (a WeakMap on the change every subscriber is
 * handed): they go when the last subscriber has taken the change, so nothing here grows.
 * Each subscriber still reads its own queue: ordering, cursors, buffers, slow consumers,
 * revocation and the scope filter are the subscriber's, as without sharing.
 */
export class SharedExecutions {
  private readonly results = new WeakMap<Change, Map<string, Promise<ExecutionResult>>>();

  /** `executed(shared)`: once per payload, whether it was handed the result of another subscriber's execution. */
  constructor(private readonly executed: (shared: boolean) => void = () => undefined) {}

  readonly subscribe = async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source;
    return new SharedResults(this, args, source[Symbol.asyncIterator](), (args.contextValue as Shareable | undefined)?.shareKey);
  };

  /** The result of `payload` for a subscription of `args` (executed here, or by an identical one). */
  async execute(args: ExecutionArgs, payload: LivePayload<unknown>, key: string | undefined): Promise<ExecutionResult> {
    const origin = payload.kind === "event" ? payload.origin : undefined;
    if (!origin || key === undefined) {
      this.executed(false);
      return execute({ ...args, rootValue: payload });
    }
    let byKey = this.results.get(origin.change);
    if (!byKey) {
      byKey = new Map();
      this.results.set(origin.change, byKey);
    }
    const slot = `${origin.index} ${key}`;
    let result = byKey.get(slot);
    if (result) {
      this.executed(true);
    } else {
      this.executed(false);
      result = Promise.resolve(execute({ ...args, rootValue: payload }));
      byKey.set(slot, result);
    }
    // A copy of its own for each subscriber: transports add to a result (masked errors), never to another's.
    return { ...(await result) };
  }
}

/** One subscription's results: a class, so an idle subscription holds four fields and no closures. */
class SharedResults implements AsyncIterableIterator<ExecutionResult> {
  constructor(
    private readonly executions: SharedExecutions,
    private readonly args: ExecutionArgs,
    private readonly source: AsyncIterator<unknown>,
    private readonly key: string | undefined,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const next = await this.source.next();
    if (next.done) return { done: true, value: undefined };
    return { done: false, value: await this.executions.execute(this.args, next.value as LivePayload<unknown>, this.key) };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    if (this.source.return) await this.source.return();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    if (this.source.throw) await this.source.throw(error);
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
