import { MongoServerError, type Collection, type Db } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import { DocumentListLoader, DocumentLoader } from "../../graphql/loaders";
import { APP_BUSINESS_LINKS, HEALTH_HISTORY, type AppBusinessLinkDoc, type HealthSampleDoc } from "../collections";

/** A health sample's counts, by step-long bucket (`lastPerBucket`). */
export type HealthBucket = Pick<HealthSampleDoc, "apps" | "businesses"> & { bucket: number };

/**
 * Data access to the cross-model domain's own collections: the app ↔ business links and the
 * health samples. The only code that reads or writes them. A request's store (`of(ctx)`) batches
 * the links through the request's loaders, applies the caller's PaaS scope, and runs every direct
 * query within the request's deadline (`ctx.query`); the database's store (`forDatabase(db)`)
 * serves the tools and the background sampler, which have no request.
 *
 * What the domain reads of the two models goes through their stores (src/cmdb/providers/store.ts,
 * src/paas/providers/store.ts), never through their collections.
 */
export class CrossModelStore {
  private constructor(
    private readonly db: Db,
    private readonly ctx?: RequestContext,
  ) {}

  /** One store per request, kept beside the request's loaders. */
  static of(ctx: RequestContext): CrossModelStore {
    return ctx.loaders.get("crossmodel:store", () => new CrossModelStore(ctx.db, ctx));
  }

  /** The store of the link command, the demo seeder and the health sampler (no request, no deadline). */
  static forDatabase(db: Db): CrossModelStore {
    return new CrossModelStore(db);
  }

  private get request(): RequestContext {
    if (!this.ctx) throw new Error("a request's read needs CrossModelStore.of(ctx)");
    return this.ctx;
  }

  private get links(): Collection<AppBusinessLinkDoc> {
    return this.db.collection<AppBusinessLinkDoc>(APP_BUSINESS_LINKS);
  }

  private get samples(): Collection<HealthSampleDoc> {
    return this.db.collection<HealthSampleDoc>(HEALTH_HISTORY);
  }

  // --- App ↔ business links: a request's reads ---

  /** The business an app is linked to, or undefined (one `$in` query per batch of apps). */
  async businessOfApp(appCode: string): Promise<number | undefined> {
    const ctx = this.request;
    const loader = ctx.loaders.get("crossmodel:appLinks:byApp", () => new DocumentLoader({ collection: this.links as never, keyField: "_id" }));
    const link = await loader.load(appCode, new Set(["bk_biz_id"]));
    return typeof link?.bk_biz_id === "number" ? link.bk_biz_id : undefined;
  }

  /** The codes of the apps linked to a business, in code order, limited to the caller's apps (one `$in` query per batch). */
  async appsOfBusiness(bizId: number): Promise<string[]> {
    const ctx = this.request;
    const { scope } = ctx;
    if (scope.noPaasApps) return [];
    const loader = ctx.loaders.get(
      "crossmodel:appLinks:byBusiness",
      () => new DocumentListLoader({ collection: this.links as never, keyField: "bk_biz_id", sort: { _id: 1 }, baseFilter: scope.paasAppFilter("_id") }),
    );
    const links = await loader.load(bizId, new Set(["_id"]));
    return links.map((link) => String(link._id));
  }

  /** Every app linked to a business, whatever the caller's scope (the search narrows it itself): one query. */
  async appCodesLinkedTo(bizId: number): Promise<string[]> {
    const links = await this.request.query((timeout) => this.links.find({ bk_biz_id: bizId }, { projection: { _id: 1 }, ...timeout }).toArray());
    return links.map((link) => String(link._id));
  }

  /** The business of every linked app (the health sampler's request, scope all): one query. */
  async businessOfEveryApp(): Promise<Map<string, number>> {
    const links = await this.request.query((timeout) => this.links.find({}, { projection: { bk_biz_id: 1 }, ...timeout }).toArray());
    return new Map(links.map((link) => [String(link._id), link.bk_biz_id]));
  }

  // --- App ↔ business links: the link command and the demo seeder ---

  /** Links an app to a business, replacing its link. */
  async setLink(appCode: string, bizId: number): Promise<void> {
    await this.links.updateOne({ _id: appCode }, { $set: { bk_biz_id: bizId, updated_at: new Date() } }, { upsert: true });
  }

  /** Removes an app's link; false when it had none. */
  async removeLink(appCode: string): Promise<boolean> {
    return (await this.links.deleteOne({ _id: appCode })).deletedCount > 0;
  }

  /** Every link, by app code. */
  listLinks(): Promise<AppBusinessLinkDoc[]> {
    return this.links.find({}).sort({ _id: 1 }).toArray();
  }

  /** Whether any link exists (the collection's estimated count: no scan). */
  async hasLinks(): Promise<boolean> {
    return (await this.links.estimatedDocumentCount()) > 0;
  }

  async insertLinks(links: AppBusinessLinkDoc[]): Promise<void> {
    await this.links.insertMany(links);
  }

  // --- Health history ---

  /** Whether the sample of a slot exists. */
  async hasSample(slot: number): Promise<boolean> {
    return (await this.samples.findOne({ _id: slot }, { projection: { _id: 1 } })) !== null;
  }

  /** Writes a slot's sample; false when another instance wrote it first (the `_id` is the slot). */
  async insertSample(sample: HealthSampleDoc): Promise<boolean> {
    try {
      await this.samples.insertOne(sample);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }

  /** Deletes the samples before `oldest` (the TTL monitor does too, but only once a minute, and not on every MongoDB-wire server). */
  async trimSamples(oldest: number): Promise<number> {
    return (await this.samples.deleteMany({ _id: { $lt: oldest } })).deletedCount;
  }

  /**
   * The last sample of every step-long bucket in `[from, to]`, by time, within the request's
   * deadline: the grouping runs in MongoDB, so at most one sample per bucket reaches Node.
   */
  lastSamplePerBucket(from: number, to: number, stepMs: number): Promise<HealthBucket[]> {
    return this.request.query((options) =>
      this.samples
        .aggregate<HealthBucket>(
          [
            { $match: { _id: { $gte: from, $lte: to } } },
            { $sort: { _id: -1 } },
            { $group: { _id: { $subtract: ["$_id", { $mod: ["$_id", stepMs] }] }, apps: { $first: "$apps" }, businesses: { $first: "$businesses" } } },
            { $sort: { _id: 1 } },
            { $project: { _id: 0, bucket: "$_id", apps: 1, businesses: 1 } },
          ],
          options,
        )
        .toArray(),
    );
  }
}
