import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Pinned: SecantusDB is published as pre-releases only, and its CLI has changed between them. */
export const SECANTUS_VERSION = "0.7.0b3";

export function secantusHome(projectRoot: string): string {
  return path.join(projectRoot, ".cache", "secantus");
}

function venvPython(projectRoot: string): string {
  return path.join(secantusHome(projectRoot), "bin", "python");
}

function installedVersion(python: string): string | undefined {
  if (!fs.existsSync(python)) return undefined;
  const probe = spawnSync(python, ["-c", "import importlib.metadata as m; print(m.version('SecantusDB'))"], {
    encoding: "utf8",
  });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/**
 * Installs the pinned SecantusDB into a project-local venv unless it is already there.
 * Returns the venv's python, or throws with the one line a newcomer needs.
 */
export function ensureSecantusInstalled(projectRoot: string, log: (line: string) => void): string {
  const python = venvPython(projectRoot);
  if (installedVersion(python) === SECANTUS_VERSION) return python;

  const python3 = process.env.PYTHON ?? "python3";
  log(`installing SecantusDB ${SECANTUS_VERSION} into ${path.relative(projectRoot, secantusHome(projectRoot))} (one time)`);
  const steps: Array<[string, string[]]> = [
    [python3, ["-m", "venv", secantusHome(projectRoot)]],
    [python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", `SecantusDB==${SECANTUS_VERSION}`]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (result.status !== 0) {
      const reason = (result.error?.message ?? result.stderr ?? "").trim().split("\n").pop();
      throw new Error(
        `could not install SecantusDB ${SECANTUS_VERSION} (${command} ${args[0]}: ${reason}); ` +
          `install python3 with venv and pip, or set MONGODB_URI to a running MongoDB`,
      );
    }
  }
  return python;
}

/*
 * The server runs under a tiny Python supervisor that ends it when our stdin closes, so the
 * database never outlives this Node process, even when Node is killed with SIGKILL. SecantusDB's
 * own shutdown usually takes a few seconds but can hang; the supervisor kills it after a grace
 * period (WiredTiger's journal makes that safe for on-disk data).
 */
export const SUPERVISOR_GRACE_SECONDS = 8;
const SUPERVISOR = [
  "import subprocess, sys, signal, threading",
  // A session of its own: Ctrl-C reaches procgraph, which drains requests before stopping the server.
  "child = subprocess.Popen([sys.executable, '-m', 'secantus'] + sys.argv[1:], start_new_session=True)",
  // So that procgraph can end the server should this supervisor die first (see SERVER_PID_LINE).
  "sys.stderr.write('procgraph-supervisor: server pid %d\\n' % child.pid)",
  "sys.stderr.flush()",
  "done = threading.Event()",
  "signal.signal(signal.SIGTERM, lambda *_: done.set())",
  "signal.signal(signal.SIGINT, signal.SIG_IGN)",
  "threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()",
  "while not done.wait(0.5):",
  // The server's end as a shell reports it: its code, or 128 + the signal that killed it.
  "    if child.poll() is not None: sys.exit(128 - child.returncode if child.returncode < 0 else child.returncode)",
  "child.terminate()",
  "try: child.wait(" + String(SUPERVISOR_GRACE_SECONDS) + ")",
  "except subprocess.TimeoutExpired:",
  "    child.kill()",
  "    child.wait()",
  "sys.exit(0)",
].join("\n");

/** The supervisor's first line on stderr: the pid of the server it runs. */
export const SERVER_PID_LINE = /procgraph-supervisor: server pid (\d+)/;

/**
 * The oplog is the history change streams resume from (README "Live updates"): a day, capped at
 * 200,000 writes (about 100 MB of oplog for documents of the demo's size). A cursor older than
 * either bound is refused as expired.
 */
export const OPLOG_RETENTION_SECONDS = 86_400;
export const OPLOG_MAX_ENTRIES = 200_000;

export interface SecantusOptions {
  python: string;
  port: number;
  /** A directory kept across restarts, or `:memory:`. */
  storagePath: string;
  /** An empty config file, so no stray secantusd.toml in the working or home directory is picked up. */
  configFile: string;
  oplogRetentionSeconds?: number;
  oplogMaxEntries?: number;
  /** A standalone server (no change streams): only tests of that case ask for it. */
  standalone?: boolean;
}

export function spawnSecantus(options: SecantusOptions): ChildProcess {
  if (options.storagePath !== ":memory:") fs.mkdirSync(options.storagePath, { recursive: true });
  fs.mkdirSync(path.dirname(options.configFile), { recursive: true });
  if (!fs.existsSync(options.configFile)) fs.writeFileSync(options.configFile, "# procgraph: defaults only\n");
  return spawn(
    options.python,
    [
      "-c",
      SUPERVISOR,
      "--config",
      options.configFile,
      "--host",
      "127.0.0.1",
      "--port",
      String(options.port),
      "--storage-path",
      options.storagePath,
      // No --standalone: the default single-node replica set is what change streams need.
      "--oplog-retention-seconds",
      String(options.oplogRetentionSeconds ?? OPLOG_RETENTION_SECONDS),
      "--oplog-max-entries",
      String(options.oplogMaxEntries ?? OPLOG_MAX_ENTRIES),
      ...(options.standalone ? ["--standalone"] : []),
      "--log-level",
      "WARNING",
    ],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
}

/**
 * The pid of the SecantusDB server itself (`python -m secantus`, not its supervisor) whose command
 * line contains `argument` (its `--port` or `--storage-path` value), found the way an operator
 * would: in the process table (Linux). For tests and the bench's chaos section, which freeze and
 * kill it.
 */
export function secantusServerPid(argument: string): number | undefined {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    const module = args.indexOf("-m");
    if (module >= 0 && args[module + 1] === "secantus" && args.includes(argument)) return Number(entry);
  }
  return undefined;
}
