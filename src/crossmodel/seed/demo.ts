import { AccessScope } from "../../auth/scope";
import { CmdbStore } from "../../cmdb/providers/store";
import { createRequestContext } from "../../graphql/context";
import type { SeedDeps } from "../../modules/types";
import { PaasStore } from "../../paas/providers/store";
import { CrossModelStore } from "../providers/store";

/** How many demo apps `npm start` links to the demo businesses. */
const DEMO_LINKED_APPS = 4;

/**
 * The demo's app ↔ business links: the first apps by code, round-robin over the normal businesses
 * (the resource pool, bk_biz_id 1, gets none). Runs after the CMDB and PaaS demo seeders; leaves a
 * database that has links already alone.
 */
export async function seedCrossModelDemo(deps: SeedDeps): Promise<void> {
  const links = CrossModelStore.forDatabase(deps.db);
  if (await links.hasLinks()) return;
  // Reads every owner's and business's data, as the seeders that wrote it did.
  const ctx = createRequestContext(deps, { requestId: "seed", headers: { "x-bkcmdb-supplier-account": "superadmin" } }, { principal: "seed", anonymous: false, scope: AccessScope.ALL });
  const [businesses, apps] = await Promise.all([CmdbStore.of(ctx).businessIdsAbove(1), PaasStore.of(ctx).appPage({}, DEMO_LINKED_APPS, new Set(["_id"]))]);
  if (businesses.length === 0 || apps.length === 0) return;
  const now = new Date();
  await links.insertLinks(apps.map((app, i) => ({ _id: String(app._id), bk_biz_id: businesses[i % businesses.length], updated_at: now })));
}
