import fs from "node:fs";
import path from "node:path";

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "procgraph") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`procgraph's package.json not found above ${start}`);
    dir = parent;
  }
}

/** The checkout's root, whether running from `src/` (ts-jest) or from `dist/src/` (npm start). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

export const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;
