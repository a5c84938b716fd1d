import path from "node:path";
import { build } from "esbuild";
import { PROJECT_ROOT } from "../src/paths";

/** Where the page's bundle goes (not committed: `npm run build` makes it, src/http/dashboard.ts serves it). */
export const DASHBOARD_BUNDLE = path.join(PROJECT_ROOT, "dist", "dashboard");

/**
 * Bundles web/dashboard (its TypeScript, graphql-ws's client, uPlot and their CSS) into
 * dist/dashboard/main.js and main.css: every byte the page loads is served by procgraph itself.
 */
export async function buildDashboard(outdir = DASHBOARD_BUNDLE): Promise<void> {
  await build({
    entryPoints: [path.join(PROJECT_ROOT, "web", "dashboard", "main.ts")],
    outdir,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: "iife",
    target: ["chrome100", "firefox100", "safari15"],
    platform: "browser",
    logLevel: "warning",
    legalComments: "linked",
  });
}

if (require.main === module) {
  buildDashboard().catch((error: unknown) => {
    process.stderr.write(`dashboard build failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
