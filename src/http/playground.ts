import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import { PROJECT_ROOT } from "../paths";

/** The npm files the page loads, served from node_modules so no request ever leaves this server. */
const ASSETS: Record<string, [packageName: string, file: string]> = {
  "react.production.min.js": ["react", "umd/react.production.min.js"],
  "react-dom.production.min.js": ["react-dom", "umd/react-dom.production.min.js"],
  "graphiql.min.js": ["graphiql", "graphiql.min.js"],
  "graphiql.min.css": ["graphiql", "graphiql.min.css"],
  // The subscription client GraphiQL's fetcher takes (docs/graph.md "Live updates").
  "graphql-ws.min.js": ["graphql-ws", "umd/graphql-ws.min.js"],
};

function packageFile(packageName: string, file: string): string {
  // Resolve the package root (its exports map may hide the UMD files from require.resolve).
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file);
}

// Read from the source tree, so `dist/` needs no copy of them.
const OWN_FILES = path.join(PROJECT_ROOT, "src", "http", "playground");

/**
 * Closed intranets are the norm for our users: the policy pins every fetch, script, style, font
 * and image to this origin, so the browser itself refuses anything else (the playground and the
 * dashboard; `connect-src 'self'` also admits WebSockets to this host and port).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join("; ");

export function wantsPlayground(req: Request): boolean {
  return req.method === "GET" && req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
}

export function sendPlayground(_req: Request, res: Response): void {
  res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  res.setHeader("Cache-Control", "no-cache");
  res.sendFile(path.join(OWN_FILES, "index.html"));
}

export function playgroundAssets(): Router {
  const router = express.Router();
  for (const [name, [packageName, relative]] of Object.entries(ASSETS)) {
    const file = packageFile(packageName, relative);
    router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: "1d" }));
  }
  router.use(express.static(OWN_FILES, { index: false, maxAge: 0 }));
  return router;
}
