import fs from "node:fs";
import path from "node:path";
import express, { type Router } from "express";
import { PROJECT_ROOT } from "../paths";
import { CONTENT_SECURITY_POLICY } from "./playground";

/** The page's HTML, from the source tree (as the playground's). */
const PAGE = path.join(PROJECT_ROOT, "web", "dashboard", "index.html");
/** The bundle `npm run build` makes (scripts/build-dashboard.ts). */
const BUNDLE = path.join(PROJECT_ROOT, "dist", "dashboard");
const BUNDLE_FILES = new Set(["main.js", "main.css", "main.js.map", "main.css.map", "main.js.LEGAL.txt", "main.css.LEGAL.txt"]);

/**
 * `/dashboard`: the ops dashboard (docs/dashboards.md). Same rules as the playground: every file from
 * this server, the same Content-Security-Policy, and the page reads /graphql with the token its
 * user typed (kept in the tab's sessionStorage).
 */
export function dashboardRouter(): Router {
  const router = express.Router();
  router.get(["/dashboard", "/dashboard/"], (_req, res) => {
    if (!fs.existsSync(path.join(BUNDLE, "main.js"))) {
      res.status(503).json({ code: "DASHBOARD_NOT_BUILT", detail: "the dashboard's bundle is missing: run npm run build (npm start does)" });
      return;
    }
    res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(PAGE);
  });
  router.get("/dashboard/assets/:file", (req, res, next) => {
    if (!BUNDLE_FILES.has(req.params.file)) return next();
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(path.join(BUNDLE, req.params.file), (error) => {
      if (error && !res.headersSent) res.status(404).json({ code: "NOT_FOUND", detail: `no dashboard asset ${req.params.file}: run npm run build` });
    });
  });
  return router;
}
