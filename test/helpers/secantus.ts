import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { freeLoopbackPort, waitForPing } from "../../src/db/embedded/launcher";
import { ensureSecantusInstalled, secantusServerPid, spawnSecantus } from "../../src/db/embedded/secantus";
import { PROJECT_ROOT } from "../../src/paths";

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
