import type { DomainModule, SeedDeps } from "../modules/types";

const META_COLLECTION = "procgraph_meta";

/**
 * Runs each module's demo seeder once per database. The marker is per module, so a module added
 * in a later release seeds its demo data on the next start without touching what is there.
 */
export async function seedDemoOnce(deps: SeedDeps, modules: readonly DomainModule[]): Promise<string[]> {
  const meta = deps.db.collection<{ _id: string; seededAt: Date }>(META_COLLECTION);
  const seeded: string[] = [];
  for (const module of modules) {
    if (!module.seedDemo) continue;
    const marker = `demo-seed:${module.name}`;
    if (await meta.findOne({ _id: marker })) continue;
    await module.seedDemo(deps);
    await module.ensureSeededIndexes?.(deps.db, deps);
    await meta.insertOne({ _id: marker, seededAt: new Date() });
    seeded.push(module.name);
  }
  return seeded;
}
