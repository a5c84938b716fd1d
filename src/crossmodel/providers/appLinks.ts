import type { Collection, Db } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import { DocumentListLoader, DocumentLoader } from "../../graphql/loaders";

/**
 * The operator's mapping between PaaS apps and CMDB businesses (`npm run link`). An app belongs to
 * at most one business; a business has any number of apps.
 */
export const APP_BUSINESS_LINKS = "procgraph_app_business_links";

export interface AppBusinessLinkDoc {
  /** The app code. */
  _id: string;
  bk_biz_id: number;
  updated_at: Date;
}

export function appBusinessLinks(db: Db): Collection<AppBusinessLinkDoc> {
  return db.collection<AppBusinessLinkDoc>(APP_BUSINESS_LINKS);
}

/** The links of one request, through its loaders: one `$in` query per direction per level. */
export class AppLinkStore {
  private constructor(private readonly ctx: RequestContext) {}

  static of(ctx: RequestContext): AppLinkStore {
    return ctx.loaders.get("graph:appLinks", () => new AppLinkStore(ctx));
  }

  /** The business an app is linked to, or undefined. */
  async businessOfApp(appCode: string): Promise<number | undefined> {
    const loader = this.ctx.loaders.get("graph:appLinks:byApp", () => new DocumentLoader({ collection: appBusinessLinks(this.ctx.db) as never, keyField: "_id" }));
    const link = await loader.load(appCode, new Set(["bk_biz_id"]));
    return typeof link?.bk_biz_id === "number" ? link.bk_biz_id : undefined;
  }

  /** The codes of the apps linked to a business, in code order, limited to the caller's apps. */
  async appsOfBusiness(bizId: number): Promise<string[]> {
    const { scope } = this.ctx;
    if (scope.noPaasApps) return [];
    const loader = this.ctx.loaders.get(
      "graph:appLinks:byBusiness",
      () => new DocumentListLoader({ collection: appBusinessLinks(this.ctx.db) as never, keyField: "bk_biz_id", sort: { _id: 1 }, baseFilter: scope.paasAppFilter("_id") }),
    );
    const links = await loader.load(bizId, new Set(["_id"]));
    return links.map((link) => String(link._id));
  }
}
