import "reflect-metadata";
import pino from "pino";
import { loadConfig, StartupError } from "../config";
import { EmbeddedServerUnavailable } from "../db/embedded/launcher";
import { openDatabase, type OpenDatabase } from "../db/open";
import { modules } from "../modules";
import { createProgressReporter } from "./progress";
import { SeedUsageError } from "./usage";

const seedable = () => modules.filter((m) => m.seedCommand).map((m) => m.name);
const usage = () => `usage: npm run seed -- <${seedable().join("|")}> [options]   (each module's options: npm run seed -- <module> --help)`;

/**
 * `npm run seed -- <module> [options]`: runs that module's seeder against MONGODB_URI, or against
 * the embedded server with the data directory `npm start` uses. Exit 2 on wrong arguments.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...options] = argv;
  const module = modules.find((m) => m.name === name && m.seedCommand);
  if (!module) {
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`procgraph seed: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel });
  let database: OpenDatabase | undefined;
  try {
    database = await openDatabase(config, (line) => logger.info(line));
    await module.seedCommand!({ config, client: database.client, db: database.db, logger, progress: createProgressReporter(process.stderr) }, options);
    return 0;
  } catch (error) {
    if (error instanceof SeedUsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof StartupError) {
      process.stderr.write(`procgraph seed: ${error.message}\n`);
      return 2;
    }
    if (error instanceof EmbeddedServerUnavailable) {
      process.stderr.write(`procgraph seed: ${error.message}\n`);
      return 3;
    }
    logger.fatal({ err: error }, "seeding failed");
    return 1;
  } finally {
    await database?.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
