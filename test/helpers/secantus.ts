import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freeLoopbackPort, waitForPing } from "../../src/db/embedded/launcher";
import { ensureSecantusInstalled, spawnSecantus } from "../../src/db/embedded/secantus";
import { PROJECT_ROOT } from "../../src/paths";

/**
 * The pid of the SecantusDB server itself (`python -m secantus`, not its supervisor) whose command
 * line contains `argument` (its `--port` or `--storage-path` value), found the way an operator
 * would: in the process table.
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

export interface OwnSecantus {
  uri: string;
  /** SIGSTOP to the server: it keeps its connections but answers nothing. Always `thaw()` in a finally. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

/**
 * A SecantusDB of the test's own (in memory), for tests that freeze or kill it: the suite's shared
 * server must keep serving the other test files. (With MONGODB_URI set such tests still use
 * SecantusDB: the suite cannot freeze that server.)
 */
export async function startOwnSecantus(): Promise<OwnSecantus> {
  const port = await freeLoopbackPort();
  const python = ensureSecantusInstalled(PROJECT_ROOT, () => undefined);
  const child: ChildProcess = spawnSecantus({ python, port, storagePath: ":memory:", configFile: path.join(PROJECT_ROOT, ".cache", "secantusd.toml") });
  const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  await waitForPing(uri, 60_000, child);
  const serverPid = secantusServerPid(String(port));
  if (!serverPid) throw new Error(`no SecantusDB server process found for port ${port}`);
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(serverPid, name);
    } catch {
      // Gone already.
    }
  };
  return {
    uri,
    freeze: () => signal("SIGSTOP"),
    thaw: () => signal("SIGCONT"),
    async stop() {
      signal("SIGCONT");
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin?.end();
      });
    },
  };
}
