import { loadConfig, StartupError } from "../config";
import type { Db } from "mongodb";
import { openDatabase } from "./open";

/**
 * The main of a small operator command (`npm run token`, `npm run link`): opens the configured
 * database, prints what `run` returns, and exits 2 on a usage or configuration error, 1 otherwise.
 */
export function runDatabaseCommand(name: string, usage: string, isUsageError: (error: unknown) => boolean, run: (db: Db, argv: string[]) => Promise<string>): void {
  const main = async () => {
    const db = await openDatabase(loadConfig());
    try {
      process.stdout.write(`${await run(db.db, process.argv.slice(2))}\n`);
    } finally {
      await db.close();
    }
  };
  main().catch((error: unknown) => {
    if (isUsageError(error)) process.stderr.write(`procgraph ${name}: ${(error as Error).message}\n${usage}\n`);
    else if (error instanceof StartupError) process.stderr.write(`procgraph: ${error.message}\n`);
    else process.stderr.write(`procgraph ${name}: ${(error as Error).message}\n`);
    process.exit(isUsageError(error) || error instanceof StartupError ? 2 : 1);
  });
}
