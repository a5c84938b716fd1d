import "reflect-metadata";
import { runTokenCommand, TOKEN_USAGE, UsageError } from "../src/auth/tokenCommand";
import { ConfigError, loadConfig } from "../src/config";
import { openDatabase } from "../src/db/open";

/** `npm run token -- …`: API tokens in the procgraph_tokens collection of the configured database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    process.stdout.write(`${await runTokenCommand(db.db, process.argv.slice(2))}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`procgraph token: ${error.message}\n${TOKEN_USAGE}\n`);
  else if (error instanceof ConfigError) process.stderr.write(`procgraph: ${error.message}\n`);
  else process.stderr.write(`procgraph token: ${(error as Error).message}\n`);
  process.exit(error instanceof UsageError || error instanceof ConfigError ? 2 : 1);
});
