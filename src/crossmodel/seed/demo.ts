import { CmdbCollection } from "../../cmdb/collections";
import type { SeedDeps } from "../../modules/types";
import { paasCollection } from "../../paas/providers/store";
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
  const businesses = await deps.db
    .collection(`${deps.config.cmdbCollectionPrefix}${CmdbCollection.business}`)
    .find({ bk_biz_id: { $gt: 1 } }, { projection: { _id: 0, bk_biz_id: 1 } })
    .sort({ bk_biz_id: 1 })
    .toArray();
  const apps = await paasCollection(deps.db, "apps").find({}, { projection: { _id: 1 } }).sort({ _id: 1 }).limit(DEMO_LINKED_APPS).toArray();
  if (businesses.length === 0 || apps.length === 0) return;
  const now = new Date();
  await links.insertLinks(apps.map((app, i) => ({ _id: String(app._id), bk_biz_id: Number(businesses[i % businesses.length].bk_biz_id), updated_at: now })));
}
