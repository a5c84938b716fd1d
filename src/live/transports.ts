import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { RequestHandler } from "express";
import { GraphQLError, Kind, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { handleProtocols } from "graphql-ws";
import { createHandler } from "graphql-sse/lib/use/express";
import { WebSocketServer } from "ws";
import type { AuthResult } from "../auth/authenticate";
import type { AppDeps } from "../graphql/context";
import { aliasCount, queryCost, queryDepth, limitError, tokenLimitRefusal, type LimitName } from "../graphql/limits";
import type { Metrics } from "../observability/metrics";
import type { LiveService, SubscriptionContext } from "./service";
import { shareKey } from "./sharing";

// graphql-ws publishes `use/ws` through package exports only, which this project's module
// resolution (CommonJS, node10) does not read: the types come from the file, the code from the export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require("graphql-ws/use/ws") as typeof import("graphql-ws/dist/use/ws");

/** Who subscribes: the headers carrying the token, and the connection (its address, for the failed-auth throttle). */
export interface Caller {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string };
}

export interface LiveTransportOptions {
  schema: GraphQLSchema;
  live: LiveService;
  metrics: Metrics;
  /** Who calls, from request headers (the same function as GraphQL and REST). */
  identify(caller: Caller): AuthResult | Promise<AuthResult>;
  /** Re-resolves a token (cached for 30 s): false once it is revoked. */
  stillValid(caller: Caller): Promise<boolean>;
  /** Subscriptions one WebSocket connection may hold at once. */
  maxPerConnection: number;
  formatError(error: GraphQLError): GraphQLError;
}

/**
 * The same checks a query gets before it runs: the token limit while parsing, validation, then
 * depth, aliases and cost with the variables known. Returns the errors, or the parsed document.
 */
function checkOperation(deps: AppDeps, schema: GraphQLSchema, documents: DocumentCache, query: string, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, metrics: Metrics): DocumentNode | GraphQLError[] {
  const { limits } = deps.config;
  const known = documents.get(query);
  if (known) return checkLimits(deps, schema, known, operationName, variables, metrics);
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    const refusal = tokenLimitRefusal((error as Error).message, limits.maxTokens);
    if (refusal) {
      metrics.refused("tokens");
      return [new GraphQLError(refusal.message, { extensions: { code: refusal.code, limit: { name: "tokens", max: limits.maxTokens } } })];
    }
    return [new GraphQLError((error as Error).message, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
  documents.set(query, document);
  return checkLimits(deps, schema, document, operationName, variables, metrics);
}

/**
 * Parsed and validated documents by their text, the least recently used dropped first: a dashboard's thousand
 * identical subscriptions hold one syntax tree (and skip parsing and validation), bounded in count.
 */
class DocumentCache {
  private readonly documents = new Map<string, DocumentNode>();
  constructor(private readonly max: number) {}

  get(query: string): DocumentNode | undefined {
    const document = this.documents.get(query);
    if (document) {
      this.documents.delete(query);
      this.documents.set(query, document);
    }
    return document;
  }

  set(query: string, document: DocumentNode): void {
    this.documents.set(query, document);
    if (this.documents.size > this.max) this.documents.delete(this.documents.keys().next().value!);
  }
}

/** Depth, aliases and cost of a valid document, with the variables known. */
function checkLimits(deps: AppDeps, schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, metrics: Metrics): DocumentNode | GraphQLError[] {
  const { limits } = deps.config;
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return [new GraphQLError("name the operation to run", { extensions: { code: "BAD_USER_INPUT" } })];
  const fragments = Object.fromEntries(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const refuse = (limit: LimitName, message: string, value: number, max: number) => {
    metrics.refused(limit);
    return [limitError(limit, message, value, max)];
  };
  const depth = queryDepth(operation.selectionSet, fragments);
  if (depth > limits.maxDepth) return refuse("depth", `query depth ${depth} exceeds the limit of ${limits.maxDepth}`, depth, limits.maxDepth);
  const aliases = aliasCount(operation.selectionSet, fragments);
  if (aliases > limits.maxAliases) return refuse("aliases", `query uses ${aliases} aliases; the limit is ${limits.maxAliases}`, aliases, limits.maxAliases);
  let cost: number;
  try {
    cost = queryCost(schema, document, operation.name?.value, variables ?? {});
  } catch (error) {
    return [new GraphQLError((error as Error).message, { extensions: { code: "BAD_USER_INPUT" } })];
  }
  if (cost > limits.maxCost) return refuse("cost", `query cost ${cost} exceeds the limit of ${limits.maxCost}`, cost, limits.maxCost);
  return document;
}

/**
 * graphql-ws on the HTTP server's `/graphql` path (sub-protocol graphql-transport-ws) and
 * graphql-sse (distinct connections) at `/graphql/stream`: Apollo Server's documented setup for
 * subscriptions. Both authenticate, limit, mask and count like POST /graphql.
 */
export function attachLiveTransports(deps: AppDeps, httpServer: Server, options: LiveTransportOptions): { sse: RequestHandler; close(): Promise<void> } {
  const { schema, live, metrics } = options;
  const documents = new DocumentCache(256);
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, handleProtocols: (protocols) => handleProtocols(protocols) });
  httpServer.on("upgrade", (req, socket, head) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/graphql" && path !== "/graphql/") {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit("connection", ws, req));
  });

  type Extra = { access?: Extract<AuthResult, { ok: true }>; caller: Caller; requestId: string; slots: { active: number; max: number } };
  const extraOf = (ctx: { extra: unknown }) => ctx.extra as unknown as Extra & { request: Caller };
  const wsDisposable = useServer(
    {
      schema,
      subscribe: live.shared.subscribe,
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const extra = extraOf(ctx);
        const authorization = (ctx.connectionParams as { authorization?: unknown } | undefined)?.authorization;
        const headers: IncomingHttpHeaders = typeof authorization === "string" ? { authorization } : {};
        // The token from connectionParams, the address of the upgrade request (failed-auth throttle).
        const caller: Caller = { headers, socket: extra.request.socket };
        const auth = await options.identify(caller);
        if (!auth.ok) return false;
        Object.assign(extra, { access: auth, caller, requestId: randomUUID(), slots: { active: 0, max: options.maxPerConnection } });
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        const extra = extraOf(ctx);
        if (!extra.access) return [new GraphQLError("authentication required", { extensions: { code: "UNAUTHENTICATED" } })];
        const checked = checkOperation(deps, schema, documents, payload.query, payload.operationName, payload.variables, metrics);
        if (Array.isArray(checked)) return checked.map(options.formatError);
        const context = contextFor(live, extra.requestId, extra.caller, extra.access, "ws", options);
        context.shareKey = shareKey(payload.query, payload.operationName, payload.variables, extra.access, extra.caller.headers);
        context.slots = extra.slots;
        const args: ExecutionArgs = { schema, document: checked, operationName: payload.operationName, variableValues: payload.variables, contextValue: context };
        return args;
      },
      onNext: (_ctx, _id, _payload, _args, result) => ({ ...result, errors: result.errors?.map((e) => options.formatError(e).toJSON()) }),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => options.formatError(e).toJSON()),
    },
    wsServer,
    12_000,
  );

  const sse = createHandler({
    schema,
    subscribe: live.shared.subscribe,
    onSubscribe: async (req, params) => {
      const auth = await options.identify(req.raw);
      if (!auth.ok) return [null, { status: auth.status, statusText: auth.message }];
      const checked = checkOperation(deps, schema, documents, params.query, params.operationName, params.variables, metrics);
      if (Array.isArray(checked)) return { data: null, errors: checked.map(options.formatError) };
      const context = contextFor(live, randomUUID(), req.raw, auth, "sse", options);
      context.shareKey = shareKey(params.query, params.operationName, params.variables, auth, req.raw.headers);
      return { schema, document: checked, operationName: params.operationName, variableValues: params.variables, contextValue: context };
    },
  });

  return {
    sse: (req, res, next) => {
      sse(req, res).catch(next);
    },
    async close() {
      await live.close();
      await wsDisposable.dispose();
      for (const client of wsServer.clients) client.terminate();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

function contextFor(live: LiveService, requestId: string, caller: Caller, access: Extract<AuthResult, { ok: true }>, transport: string, options: LiveTransportOptions): SubscriptionContext {
  const context = live.context({ requestId, headers: caller.headers }, access, transport);
  if (!access.anonymous) Object.assign(context, { reauthorize: () => options.stillValid(caller) });
  return context;
}
