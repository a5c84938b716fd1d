import "reflect-metadata";
import { runTokenCommand, TOKEN_USAGE, UsageError } from "../src/auth/tokenCommand";
import { runDatabaseCommand } from "../src/db/command";

/** `npm run token -- …`: API tokens in the procgraph_tokens collection of the configured database. */
runDatabaseCommand("token", TOKEN_USAGE, (error) => error instanceof UsageError, runTokenCommand);
