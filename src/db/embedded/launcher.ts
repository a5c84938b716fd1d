import type { ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { MongoClient } from "mongodb";
import { ensureSecantusInstalled, spawnSecantus, SECANTUS_VERSION, SUPERVISOR_GRACE_SECONDS } from "./secantus";

export interface EmbeddedServer {
  /** Connection string of the running server, with `directConnection=true`. */
  uri: string;
  /** What runs, for the start banner and the README's promise ("which DB server runs"). */
  description: string;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  projectRoot: string;
  /** A folder kept across restarts, or undefined for a throw-away in-memory store. */
  storageDir?: string;
  log?: (line: string) => void;
  startTimeoutMs?: number;
  /** Oplog bound in writes (SecantusDB only); tests of expired cursors make it small. */
  oplogMaxEntries?: number;
  /** SecantusDB as a standalone server (no change streams), for tests of that case. */
  standalone?: boolean;
}

/** Nothing could be started; the message is the one line telling the user what to install or set. */
export class EmbeddedServerUnavailable extends Error {
  override name = "EmbeddedServerUnavailable";
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `ping` until the server answers, the child dies, or the deadline passes. */
export async function waitForPing(uri: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.connect();
      await client.db("admin").command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`no answer to ping within ${timeoutMs} ms (${(lastError as Error)?.message ?? "no error"})`);
}

// Longer than the supervisor's own grace, so it always gets to kill the server before we kill it.
function stopChild(child: ChildProcess, graceMs = (SUPERVISOR_GRACE_SECONDS + 7) * 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    // Closing stdin is what the supervisor waits for; SIGTERM covers a supervisor that is busy.
    child.stdin?.end();
    child.kill("SIGTERM");
  });
}

async function startSecantus(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const python = ensureSecantusInstalled(options.projectRoot, log);
  const configFile = path.join(options.projectRoot, ".cache", "secantusd.toml");
  let lastError: unknown;
  // A free port can be taken between the probe and the bind: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    const child = spawnSecantus({ python, port, storagePath: options.storageDir ?? ":memory:", configFile, oplogMaxEntries: options.oplogMaxEntries, standalone: options.standalone });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
    try {
      await waitForPing(uri, options.startTimeoutMs ?? 60_000, child);
      const stop = () => stopChild(child);
      return {
        uri,
        description: `SecantusDB ${SECANTUS_VERSION} on 127.0.0.1:${port} (${options.storageDir ?? "in memory"})`,
        stop,
      };
    } catch (error) {
      await stopChild(child);
      lastError = new Error(`${(error as Error).message}${stderr ? `: ${stderr.trim().split("\n").pop()}` : ""}`);
    }
  }
  throw lastError;
}

/**
 * mongodb-memory-server-core is an optional fallback for a laptop with internet: it is not a
 * dependency (its binary download cannot work on closed networks), so it is used only when present.
 */
async function startMemoryServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const moduleName = "mongodb-memory-server-core";
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MongoMemoryServer } = require(moduleName) as {
    MongoMemoryServer: { create(opts: unknown): Promise<{ getUri(): string; stop(): Promise<boolean> }> };
  };
  const server = await MongoMemoryServer.create({
    instance: { ip: "127.0.0.1", dbPath: options.storageDir, storageEngine: options.storageDir ? "wiredTiger" : undefined },
  });
  const uri = `${server.getUri().replace(/\/$/, "")}/?directConnection=true`;
  return { uri, description: `mongodb-memory-server (${uri})`, stop: async () => void (await server.stop()) };
}

/** Starts the first embedded MongoDB-wire server that works, in the README's order of preference. */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const failures: string[] = [];
  const candidates: Array<[string, (o: EmbeddedServerOptions) => Promise<EmbeddedServer>]> = [
    ["SecantusDB", startSecantus],
    ["mongodb-memory-server-core", startMemoryServer],
  ];
  if (process.env.PROCGRAPH_EMBEDDED_SERVER === "memory-server") candidates.reverse();
  for (const [name, start] of candidates) {
    try {
      return await start(options);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  throw new EmbeddedServerUnavailable(
    `no MongoDB-compatible server could be started (${failures.join("; ")}). ` +
      `Install python3 with venv and pip (procgraph then installs SecantusDB ${SECANTUS_VERSION} itself), ` +
      `or set MONGODB_URI to a running MongoDB.`,
  );
}
