import "reflect-metadata";
import pino from "pino";
import { ConfigError, loadConfig } from "../../config";
import { EmbeddedServerUnavailable } from "../../db/embedded/launcher";
import { openDatabase, type OpenDatabase } from "../../db/open";
import { PaasSync } from "./sync";

const USAGE =
  "usage: npm run sync -- k8s [--kubeconfig FILE] [--context [NAME=]CONTEXT]... [--in-cluster] [--cluster-name NAME] [--once] [--timeout SECONDS]";

interface SyncArgs {
  env: Record<string, string | undefined>;
  once: boolean;
  timeoutSeconds: number;
}

/** The command line maps onto the same variables `npm start` reads, so both validate alike. */
function parseArgs(argv: string[]): SyncArgs | string {
  const [target, ...rest] = argv;
  if (target !== "k8s") return USAGE;
  const env: Record<string, string | undefined> = { ...process.env };
  const contexts: string[] = [];
  let once = false;
  let timeoutSeconds = 300;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      if (flag === "--kubeconfig") env.PAAS_KUBECONFIG = value();
      else if (flag === "--context") contexts.push(value());
      else if (flag === "--in-cluster") env.PAAS_IN_CLUSTER = "true";
      else if (flag === "--cluster-name") env.PAAS_CLUSTER_NAME = value();
      else if (flag === "--once") once = true;
      else if (flag === "--timeout") {
        const raw = value();
        if (!/^\d+$/.test(raw) || Number(raw) < 1) return `--timeout: a number of seconds, got ${JSON.stringify(raw)}\n${USAGE}`;
        timeoutSeconds = Number(raw);
      } else return `unknown option ${JSON.stringify(flag)}\n${USAGE}`;
    } catch (error) {
      return `${(error as Error).message}\n${USAGE}`;
    }
  }
  if (contexts.length > 0) env.PAAS_KUBE_CONTEXTS = contexts.join(",");
  return { env, once, timeoutSeconds };
}

/**
 * `npm run sync -- k8s …`: the Kubernetes sync without the HTTP server, for a separate deployment
 * (until SIGTERM/SIGINT), or `--once`: one list and reconciliation of every cluster, then exit.
 * Exit 2 on wrong arguments or configuration, 1 when `--once` cannot finish in time.
 */
export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(`${args}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(args.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`procgraph sync: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (!config.paasSync) {
    process.stderr.write(`procgraph sync: no cluster: give --kubeconfig FILE (or PAAS_KUBECONFIG) or --in-cluster\n${USAGE}\n`);
    return 2;
  }
  const logger = pino({ level: config.logLevel });
  let database: OpenDatabase | undefined;
  let sync: PaasSync | undefined;
  try {
    database = await openDatabase(config, (line) => logger.info(line));
    sync = new PaasSync({ clusters: config.paasSync.clusters, leaseTtlMs: config.paasSync.leaseTtlMs, db: database.db, logger }).start();
    if (args.once) {
      const done = await sync.waitForSync(args.timeoutSeconds * 1000);
      const summary = sync.status().map((c) => `${c.name}: ${c.role}${done ? "" : ` (${Object.entries(c.watches).map(([k, w]) => `${k} ${w.state}${w.lastError ? `: ${w.lastError}` : ""}`).join(", ")})`}`);
      process.stdout.write(`${done ? "synced" : "not synced within the timeout"}: ${summary.join("; ")}\n`);
      return done ? 0 : 1;
    }
    const running = sync;
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        logger.info({ signal }, "paas sync: stopping");
        resolve();
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      logger.info({ clusters: running.status().map((c) => c.name) }, "paas sync: running");
    });
    return 0;
  } catch (error) {
    if (error instanceof EmbeddedServerUnavailable) {
      process.stderr.write(`procgraph sync: ${error.message}\n`);
      return 3;
    }
    logger.fatal({ err: error }, "paas sync failed");
    return 1;
  } finally {
    await sync?.stop();
    await database?.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
