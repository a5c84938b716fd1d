import type { ChildProcess } from "node:child_process";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import type { Logger } from "pino";
import { ensureSecantusInstalled, SERVER_PID_LINE, spawnSecantus, SECANTUS_VERSION, SUPERVISOR_GRACE_SECONDS } from "./secantus";

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
  /** Restart the server when it exits (`npm start`); without it, an exit is left to the caller. */
  supervision?: Supervision;
  /** Oplog bound in writes (SecantusDB only); tests of expired cursors make it small. */
  oplogMaxEntries?: number;
  /** SecantusDB as a standalone server (no change streams), for tests of that case. */
  standalone?: boolean;
}

/** Who hears about the embedded server's exits and restarts, and what to do when they fail. */
export interface Supervision {
  logger: Pick<Logger, "info" | "error" | "fatal">;
  /** Restarting failed too often (the fatal line is logged): the service cannot serve any more. */
  onGiveUp(reason: string): void;
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

/** A running SecantusDB under its supervisor. */
interface SecantusProcess {
  child: ChildProcess;
  /** The server's own pid, as its supervisor reported it. */
  serverPid(): number | undefined;
}

/** Spawns SecantusDB on `port` and waits until it answers `ping`; stops it again when it does not. */
async function launchSecantus(python: string, port: number, options: EmbeddedServerOptions): Promise<SecantusProcess> {
  const configFile = path.join(options.projectRoot, ".cache", "secantusd.toml");
  const child = spawnSecantus({ python, port, storagePath: options.storageDir ?? ":memory:", configFile, oplogMaxEntries: options.oplogMaxEntries, standalone: options.standalone });
  let stderr = "";
  let serverPid: number | undefined;
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    serverPid ??= Number(SERVER_PID_LINE.exec(stderr)?.[1]) || undefined;
  });
  try {
    await waitForPing(`mongodb://127.0.0.1:${port}/?directConnection=true`, options.startTimeoutMs ?? 60_000, child);
    return { child, serverPid: () => serverPid };
  } catch (error) {
    await stopChild(child);
    const lastLine = stderr
      .trim()
      .split("\n")
      .filter((line) => line && !SERVER_PID_LINE.test(line))
      .pop();
    throw new Error(`${(error as Error).message}${lastLine ? `: ${lastLine}` : ""}`);
  }
}

async function startSecantus(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const python = ensureSecantusInstalled(options.projectRoot, log);
  let lastError: unknown;
  // A free port can be taken between the probe and the bind: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    let server: SecantusProcess;
    try {
      server = await launchSecantus(python, port, options);
    } catch (error) {
      lastError = error;
      continue;
    }
    const description = `SecantusDB ${SECANTUS_VERSION} on 127.0.0.1:${port} (${options.storageDir ?? "in memory"})`;
    const stop = options.supervision
      ? superviseSecantus(server, () => launchSecantus(python, port, options), options.supervision)
      : () => stopChild(server.child);
    return { uri: `mongodb://127.0.0.1:${port}/?directConnection=true`, description, stop };
  }
  throw lastError;
}

/** Failures (an exit, or a restart that did not come up) tolerated within RESTART_WINDOW_MS… */
export const MAX_RESTART_FAILURES = 5;
/** …of this window; one more, and procgraph gives up. */
export const RESTART_WINDOW_MS = 5 * 60_000;
/** The wait before a restart: doubled for each failure in the window, up to the last. */
const RESTART_BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000];

/** "code 1" or "signal SIGKILL", from the supervisor's exit (which reports the server's as a shell does). */
function describeExit(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: string | null; text: string } {
  const killedBy = signal ?? (code !== null && code > 128 ? Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined);
  return killedBy ? { code: null, signal: killedBy, text: `signal ${killedBy}` } : { code, signal: null, text: `code ${code}` };
}

/**
 * Keeps the embedded server running: logs its exit (code or signal), restarts it on the same port
 * and data directory (so the MongoClient reconnects by itself, on its next heartbeat) after a
 * backoff of 0.5 s doubling to 8 s, and gives up with a fatal line after more than
 * MAX_RESTART_FAILURES exits or failed restarts within RESTART_WINDOW_MS. Returns the `stop`
 * that ends supervision and the server.
 */
function superviseSecantus(first: SecantusProcess, relaunch: () => Promise<SecantusProcess>, supervision: Supervision): () => Promise<void> {
  const { logger } = supervision;
  let current: SecantusProcess | undefined = first;
  let stopping = false;
  let wake: (() => void) | undefined;
  const failures: number[] = [];

  const failed = (): number | undefined => {
    const now = Date.now();
    failures.push(now);
    while (failures[0] <= now - RESTART_WINDOW_MS) failures.shift();
    if (failures.length > MAX_RESTART_FAILURES) return undefined;
    return RESTART_BACKOFF_MS[Math.min(failures.length, RESTART_BACKOFF_MS.length) - 1];
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const restart = async (exit: { code: number | null; signal: string | null; text: string }, serverPid: number | undefined) => {
    // The supervisor was killed: its server would go on holding the port and the data directory.
    if (serverPid) {
      try {
        process.kill(serverPid, "SIGKILL");
      } catch {
        // Already gone, as it should be.
      }
    }
    let delay = failed();
    logger.error({ code: exit.code, signal: exit.signal, restartInMs: delay }, `embedded database exited (${exit.text}); restarting it on the same port and data directory`);
    while (!stopping) {
      if (delay === undefined) {
        const reason = `embedded database failed ${failures.length} times within ${RESTART_WINDOW_MS / 1000} s: giving up (procgraph exits; see the log lines above)`;
        logger.fatal({ failures: failures.length }, reason);
        supervision.onGiveUp(reason);
        return;
      }
      await pause(delay);
      if (stopping) return;
      try {
        const server = await relaunch();
        if (stopping) return void (await stopChild(server.child));
        watch(server);
        logger.info({ failuresInWindow: failures.length }, "embedded database restarted");
        return;
      } catch (error) {
        delay = failed();
        logger.error({ err: error, restartInMs: delay }, "embedded database did not restart");
      }
    }
  };

  const watch = (server: SecantusProcess) => {
    current = server;
    server.child.once("exit", (code, signal) => {
      if (stopping) return;
      current = undefined;
      // The supervisor reports its server's end as its own exit code; a signal means it was killed itself.
      void restart(describeExit(code, signal), signal ? server.serverPid() : undefined);
    });
  };
  watch(first);

  return async () => {
    stopping = true;
    wake?.();
    if (current) await stopChild(current.child);
  };
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
