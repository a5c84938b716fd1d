import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from "@apollo/server";
import type { Request, Response } from "express";

/** What Express's `res.send` gives a string answer whose media type has no charset. */
const DEFAULT_TEXT_TYPE = "text/html; charset=utf-8";

/** The query string of a request target as it arrived (`?` included), or "". */
function searchOf(url: string): string {
  const start = url.indexOf("?");
  return start < 0 ? "" : url.slice(start);
}

/**
 * Runs one GraphQL request on `server` and writes its answer: Apollo Server's Express integration
 * (`@as-integrations/express5`), on the same integration API (`executeHTTPGraphQLRequest`) and with
 * the same answers, written for the request path's CPU. The query string is cut from the request
 * target instead of `url.parse`d (Apollo reads it with URLSearchParams, which decodes what
 * `url.parse` would have escaped), and a complete answer is written with its Content-Length by
 * `res.end` rather than Express's `res.send` (whose ETag, freshness and type lookups a GraphQL
 * answer never uses: ETags are off, and Apollo sets the media type).
 */
export function apolloHandler<TContext extends BaseContext>(server: ApolloServer<TContext>, context: (req: Request, res: Response) => Promise<TContext>) {
  server.assertStarted("apolloHandler()");
  return async (req: Request, res: Response): Promise<void> => {
    if (!("body" in req)) throw new Error("apolloHandler: the request body was not read (the JSON reader must run first)");
    const headers = new HeaderMap();
    for (const name in req.headers) {
      const value = req.headers[name];
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const request: HTTPGraphQLRequest = { method: req.method.toUpperCase(), headers, search: searchOf(req.url), body: req.body };
    const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => context(req, res) });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      const type = res.getHeader("content-type");
      if (typeof type !== "string") res.setHeader("content-type", DEFAULT_TEXT_TYPE);
      else if (!type.includes("charset=")) res.setHeader("content-type", `${type}; charset=utf-8`);
      res.setHeader("content-length", Buffer.byteLength(response.body.string));
      res.end(req.method === "HEAD" ? undefined : response.body.string);
      return;
    }
    // Incremental delivery (@defer): written as Apollo produces it.
    for await (const chunk of response.body.asyncIterator) {
      res.write(chunk);
      (res as Response & { flush?: () => void }).flush?.();
    }
    res.end();
  };
}
