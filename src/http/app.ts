import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { createRequestContext, type AppDeps, type RequestContext } from "../graphql/context";
import { ErrorCode } from "../graphql/errors";
import { getSchema } from "../graphql/schema";
import { modules } from "../modules";
import { playgroundAssets, sendPlayground, wantsPlayground } from "./playground";

declare module "express-serve-static-core" {
  interface Request {
    requestId: string;
  }
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's `x-request-id` (so logs correlate across services) or makes one. */
const requestId: RequestHandler = (req, res, next) => {
  const given = req.header("x-request-id");
  req.requestId = given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  res.setHeader("x-request-id", req.requestId);
  next();
};

/**
 * Errors a resolver throws on purpose are GraphQLErrors with a code; anything else is a bug or an
 * outage whose text may leak internals, so the client gets a generic message and the request id.
 */
function formatError(deps: AppDeps) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const intentional = original instanceof GraphQLError || formatted.extensions?.code !== ErrorCode.Internal;
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    if (intentional) return { ...formatted, extensions };
    deps.logger.error({ err: original, path: formatted.path }, "resolver failed");
    return { message: "Internal server error", locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.Internal } };
  };
}

/** Puts the request id on every masked error, so a user can quote it and an operator can grep for it. */
const requestIdInErrors: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== "single") return;
        for (const error of response.body.singleResult.errors ?? []) {
          if (error.extensions?.code === ErrorCode.Internal) (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
        }
      },
    };
  },
};

export interface HttpApp {
  app: Express;
  apollo: ApolloServer<RequestContext>;
}

export async function createHttpApp(deps: AppDeps, httpServer: Server): Promise<HttpApp> {
  const schema = await getSchema();
  const apollo = new ApolloServer<RequestContext>({
    schema,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(deps),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's own landing page loads from a CDN; ours is served locally (see playground.ts).
      ApolloServerPluginLandingPageDisabled(),
      requestIdInErrors,
    ],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(requestId);

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await deps.db.command({ ping: 1 }, { timeoutMS: 2_000 });
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "unavailable", reason: "MongoDB does not answer ping" });
    }
  });

  app.use("/playground", playgroundAssets());
  app.get("/", (req, res, next) => (wantsPlayground(req) ? sendPlayground(req, res) : next()));
  app.get("/graphql", (req, res, next) => (wantsPlayground(req) ? sendPlayground(req, res) : next()));
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => createRequestContext(deps, req.requestId, req.headers),
    }),
  );

  for (const module of modules) {
    if (module.restRouter) app.use(module.restRouter(deps));
  }

  app.use((req, res) => {
    res.status(404).json({ code: "NOT_FOUND", detail: `no route for ${req.method} ${req.path}` });
  });
  app.use(jsonErrorHandler(deps));
  return { app, apollo };
}

/** The last resort: a JSON body with a stable code, never an HTML page or a stack trace. */
function jsonErrorHandler(deps: AppDeps): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      const code = type === "entity.parse.failed" ? "INVALID_JSON" : type === "entity.too.large" ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
      res.status(status).json({ code, detail: code === "INVALID_JSON" ? "the request body is not valid JSON" : (error as Error).message });
      return;
    }
    deps.logger.error({ err: error, requestId: req.requestId, path: req.path }, "request failed");
    if (res.headersSent) return;
    res.status(500).json({ code: "INTERNAL_SERVER_ERROR", detail: "Internal server error", request_id: req.requestId });
  };
}
