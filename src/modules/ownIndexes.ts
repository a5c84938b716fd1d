import type { AppDeps } from "../graphql/context";
import type { DomainModule } from "./types";

/**
 * Ensures the indexes of procgraph's own collections (each module's `ensureOwnIndexes`) on every
 * start, not only when procgraph seeds demo data: a database written by another writer (a restore,
 * a migration, the PaaS sync) would otherwise be read without any. A module whose indexes cannot be
 * created (no write permission, data that breaks a unique index) is logged and the start goes on:
 * the service answers the same, more slowly. Returns the modules whose indexes are in place.
 */
export async function ensureOwnIndexes(deps: Pick<AppDeps, "db" | "logger">, modules: readonly DomainModule[]): Promise<string[]> {
  const ensured: string[] = [];
  for (const module of modules) {
    if (!module.ensureOwnIndexes) continue;
    try {
      await module.ensureOwnIndexes(deps.db);
      ensured.push(module.name);
    } catch (err) {
      deps.logger.warn({ err, module: module.name }, "could not create the indexes of the module's collections; its queries run without them");
    }
  }
  return ensured;
}
