import type { SeedDeps } from "../../modules/types";
import { ensurePaasIndexes } from "../indexes";
import { PAAS_COLLECTIONS, paasCollection } from "../providers/store";
import { PaasWriter } from "../providers/writer";
import { generateApp, type GeneratedBatch, type GeneratorOptions } from "./generator";

export const PAAS_SEED_USAGE = "usage: npm run seed -- paas [--apps N (1-1000000, default 100)] [--seed N (default 1)] [--max-modules N (1-6, default 3)] [--drop]";

export interface PaasSeedOptions extends GeneratorOptions {
  apps: number;
  drop: boolean;
}

const BATCH_APPS = 200;

/** Parses `--apps N --seed N --max-modules N --drop` (also `--apps=N`); throws the usage line on anything else. */
export function parseSeedOptions(argv: readonly string[]): PaasSeedOptions {
  const options: PaasSeedOptions = { apps: 100, seed: 1, maxModules: 3, drop: false };
  const limits: Record<string, [keyof PaasSeedOptions, number, number]> = {
    "--apps": ["apps", 1, 1_000_000],
    "--seed": ["seed", 0, 2 ** 31 - 1],
    "--max-modules": ["maxModules", 1, 6],
  };
  const args = argv.flatMap((arg) => (/^--[a-z-]+=/.test(arg) ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg]));
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === "--drop") {
      options.drop = true;
      continue;
    }
    const limit = limits[arg];
    const value = args[i + 1];
    if (!limit || value === undefined || !/^\d+$/.test(value) || Number(value) < limit[1] || Number(value) > limit[2]) {
      throw new Error(`${PAAS_SEED_USAGE}\n(bad option: ${arg}${value === undefined ? "" : ` ${value}`})`);
    }
    (options as unknown as Record<string, number>)[limit[0]] = Number(value);
    i += 1;
  }
  return options;
}

/** Writes `apps` generated apps in batches through the writer (which bumps the resource_version counters). */
export async function seedPaas(deps: SeedDeps, options: PaasSeedOptions): Promise<void> {
  if (options.drop) {
    for (const name of Object.keys(PAAS_COLLECTIONS) as Array<keyof typeof PAAS_COLLECTIONS>) await paasCollection(deps.db, name).deleteMany({});
  } else if ((await paasCollection(deps.db, "apps").countDocuments({}, { limit: 1 })) > 0) {
    throw new Error("the paas collections already hold data: pass --drop to replace them");
  }
  const writer = new PaasWriter(deps.db);
  deps.progress.start("paas apps", options.apps);
  for (let start = 0; start < options.apps; start += BATCH_APPS) {
    const batch: GeneratedBatch = { apps: [], modules: [], envs: [], specs: [], processes: [], instances: [] };
    const end = Math.min(start + BATCH_APPS, options.apps);
    for (let index = start; index < end; index += 1) {
      const app = generateApp(index, options);
      for (const key of Object.keys(batch) as Array<keyof GeneratedBatch>) (batch[key] as unknown[]).push(...app[key]);
    }
    await writer.insertBatch(batch);
    deps.progress.tick(end - start);
  }
  deps.progress.done();
  await ensurePaasIndexes(deps.db);
}

export async function paasSeedCommand(deps: SeedDeps, argv: string[]): Promise<void> {
  await seedPaas(deps, parseSeedOptions(argv));
}

/** `npm start` on an empty database: five apps. */
export function seedPaasDemo(deps: SeedDeps): Promise<void> {
  return seedPaas(deps, { apps: 5, seed: 1, maxModules: 3, drop: false });
}
