import fs from "node:fs";
import path from "node:path";
import { ConfigError, StartupError } from "../../config";

const LOCK_FILE = "procgraph.pid";

/** The directory the embedded server keeps its files in, held by this process until `release()`. */
export interface DataDirLock {
  release(): void;
}

const reason = (error: unknown): string => {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ? `${code}: ${message.replace(/^\w+: /, "")}` : message;
};

/**
 * Creates DATA_DIR one level at a time, so a path that cannot be created fails at once with its
 * reason (`fs.mkdirSync(…, { recursive: true })` loops forever at 100 % CPU on a path under
 * /proc, and, being synchronous, ignores SIGTERM while it does).
 */
function makeDirectory(dataDir: string, dir: string): void {
  const bad = (detail: string) => new ConfigError("DATA_DIR", `a directory procgraph can create and write (${detail})`, dataDir);
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw bad(`${current}: ${reason(error)}`);
      missing.unshift(current);
      current = path.dirname(current);
      continue;
    }
    if (!stat.isDirectory()) throw bad(`${current} is not a directory`);
    break;
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw bad(`mkdir ${level}: ${reason(error)}`);
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw bad(`${dir}: ${reason(error)}`);
  }
}

/** A live process that is a procgraph (Node), not an unrelated process that reused a stale pid. */
function isProcgraphAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return /node/.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return true; // no /proc (not Linux): liveness is all we can tell
  }
}

/**
 * Makes `storageDir` (inside DATA_DIR) and takes DATA_DIR's lock: a pid file created exclusively.
 * A second procgraph (or seeder) on the same directory is refused with one line naming the
 * holder, instead of the database engine's "Device or resource busy"; a pid file whose process
 * is gone (killed with SIGKILL) is stale and taken over.
 */
export function lockDataDir(dataDir: string, storageDir: string): DataDirLock {
  makeDirectory(dataDir, storageDir);
  const file = path.join(dataDir, LOCK_FILE);
  const mine = String(process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${mine}\n`, { flag: "wx" });
      return {
        release() {
          // Only our own: a later holder may have taken over a lock it found stale.
          if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new ConfigError("DATA_DIR", `a directory procgraph can create and write (${file}: ${reason(error)})`, dataDir);
      }
    }
    const holder = readPid(file);
    if (holder !== undefined && holder !== process.pid && isProcgraphAlive(holder)) {
      throw new StartupError(
        `DATA_DIR=${dataDir} is in use by another procgraph (pid ${holder}): stop it first, or give this one its own DATA_DIR`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new StartupError(`DATA_DIR=${dataDir}: could not take its lock file ${file}`);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
