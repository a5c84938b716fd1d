import type { SeedDeps } from "../../modules/types";
import { parseSeedOptions as parseOptions, SeedUsageError } from "../../seed/usage";
import { ensurePaasIndexes } from "../indexes";
import { PaasWriter } from "../providers/writer";
import { generateApp, type GeneratedBatch, type GeneratorOptions } from "./generator";

export const PAAS_SEED_USAGE = "usage: npm run seed -- paas [--apps N (1-1000000, default 100)] [--seed N (default 1)] [--max-modules N (1-6, default 3)] [--drop]";

export interface PaasSeedOptions extends GeneratorOptions {
  apps: number;
  drop: boolean;
}

const BATCH_APPS = 200;

const RANGES: Record<string, [min: number, max: number]> = { apps: [1, 1_000_000], seed: [0, 2 ** 31 - 1], "max-modules": [1, 6] };

/** `--apps N --seed N --max-modules N --drop` (also `--apps=N`); a SeedUsageError with the usage line on anything else. */
export function parseSeedOptions(argv: readonly string[]): PaasSeedOptions {
  const { numbers, flags } = parseOptions(argv, { numbers: Object.keys(RANGES), flags: ["drop"] }, PAAS_SEED_USAGE);
  for (const [name, value] of Object.entries(numbers)) {
    const [min, max] = RANGES[name];
    if (value < min || value > max) throw new SeedUsageError(`--${name} must be from ${min} to ${max}, got ${value}\n${PAAS_SEED_USAGE}`);
  }
  return { apps: numbers.apps ?? 100, seed: numbers.seed ?? 1, maxModules: numbers["max-modules"] ?? 3, drop: flags.has("drop") };
}

/** Writes `apps` generated apps in batches through the writer (which bumps the resource_version counters). */
export async function seedPaas(deps: SeedDeps, options: PaasSeedOptions): Promise<void> {
  const writer = new PaasWriter(deps.db);
  if (options.drop) await writer.clear();
  else if (!(await writer.isEmpty())) throw new SeedUsageError("the paas collections already hold data: pass --drop to replace them");
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

/**
 * The `npm start` demo: five apps. The seed is chosen so that those five show every case a demo
 * should (stopped, failing and autoscaled processes, pending instances, older versions beside the
 * latest, cloud-native and default apps); the demo test checks that it still does.
 */
export const PAAS_DEMO_OPTIONS = { apps: 5, seed: 3, maxModules: 3, drop: false } as const;

/** `npm start` on an empty database: the demo apps. */
export function seedPaasDemo(deps: SeedDeps): Promise<void> {
  return seedPaas(deps, { ...PAAS_DEMO_OPTIONS });
}
