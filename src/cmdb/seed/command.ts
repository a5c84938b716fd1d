import type { AppDeps } from "../../graphql/context";
import type { SeedDeps } from "../../modules/types";
import { parseSeedOptions, SeedUsageError } from "../../seed/usage";
import { ensureCmdbIndexes } from "../indexes";
import { CmdbDemoWriter } from "../providers/writer";
import { DEFAULT_SEED_OPTIONS, generateCmdbData, type CmdbSeedOptions } from "./generator";

export const CMDB_SEED_USAGE =
  "usage: npm run seed -- cmdb [--businesses N] [--sets N] [--modules N] [--hosts N] [--processes N] [--seed N] [--owner ACCOUNT] [--batch N] [--drop] | --indexes-only";

/** Writes generated documents into the (prefixed) bk-cmdb collections of `deps.db`. */
export async function seedCmdb(deps: SeedDeps, options: CmdbSeedOptions): Promise<void> {
  const writer = demoWriter(deps);
  await generateCmdbData(options, (collection, documents) => writer.insert(collection, documents), deps.progress);
}

const demoWriter = (deps: SeedDeps) => new CmdbDemoWriter(deps.db, deps.config.cmdbCollectionPrefix);

/** The `npm start` demo set; skipped when the database already holds CMDB data (seeded by hand, say). */
export async function seedCmdbDemo(deps: SeedDeps): Promise<void> {
  if (await demoWriter(deps).collectionHoldingData()) return;
  await seedCmdb(deps, DEFAULT_SEED_OPTIONS);
}

export async function ensureIndexes(deps: AppDeps): Promise<string[]> {
  return ensureCmdbIndexes(deps.db, deps.config.cmdbCollectionPrefix);
}

/**
 * `npm run seed -- cmdb [options]`. Refuses to write into collections that hold data unless
 * `--drop` (which drops the bk-cmdb collections first: never on a real bk-cmdb database).
 * `--indexes-only` creates upstream's indexes and writes nothing else.
 */
export async function cmdbSeedCommand(deps: SeedDeps, argv: string[]): Promise<void> {
  if (argv.includes("--help")) throw new SeedUsageError(CMDB_SEED_USAGE);
  const { numbers, strings, flags } = parseSeedOptions(
    argv,
    { numbers: ["businesses", "sets", "modules", "hosts", "processes", "seed", "batch"], strings: ["owner"], flags: ["drop", "indexes-only"] },
    CMDB_SEED_USAGE,
  );
  if (flags.has("indexes-only")) {
    if (argv.length > 1) throw new SeedUsageError(`--indexes-only takes no other option\n${CMDB_SEED_USAGE}`);
    const created = await ensureIndexes(deps);
    deps.logger.info({ indexes: created.length }, "cmdb indexes ensured");
    process.stderr.write(`cmdb: ${created.length} indexes ensured in ${deps.db.databaseName}\n`);
    return;
  }
  const options: CmdbSeedOptions = {
    businesses: numbers.businesses ?? DEFAULT_SEED_OPTIONS.businesses,
    sets: numbers.sets ?? DEFAULT_SEED_OPTIONS.sets,
    modules: numbers.modules ?? DEFAULT_SEED_OPTIONS.modules,
    hosts: numbers.hosts ?? DEFAULT_SEED_OPTIONS.hosts,
    processes: numbers.processes ?? DEFAULT_SEED_OPTIONS.processes,
    seed: numbers.seed ?? DEFAULT_SEED_OPTIONS.seed,
    owner: strings.owner ?? DEFAULT_SEED_OPTIONS.owner,
    batchSize: numbers.batch ?? DEFAULT_SEED_OPTIONS.batchSize,
  };
  if (options.businesses < 1 || options.sets < 1 || options.modules < 1 || options.hosts < 1 || options.batchSize < 1) {
    throw new SeedUsageError(`--businesses, --sets, --modules, --hosts and --batch must be at least 1\n${CMDB_SEED_USAGE}`);
  }
  if (flags.has("drop")) {
    await demoWriter(deps).dropAll();
  } else {
    const holding = await demoWriter(deps).collectionHoldingData();
    if (holding) throw new SeedUsageError(`${deps.db.databaseName}.${holding} already holds documents: pass --drop to replace the CMDB demo data\n${CMDB_SEED_USAGE}`);
  }
  await seedCmdb(deps, options);
  const created = await ensureIndexes(deps);
  process.stderr.write(`cmdb: seeded ${options.processes} processes, ${options.hosts} hosts, ${options.businesses} businesses into ${deps.db.databaseName} (${created.length} indexes)\n`);
}
