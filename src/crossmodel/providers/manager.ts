import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import type { RequestContext } from "../../graphql/context";
import type { Projection } from "../../graphql/projection";
import type { AppDoc, InstanceDoc } from "../../paas/collections";
import type { HealthHistoryPoint } from "../types/history";
import type { ProcessFilter, ProcessOrder } from "../types/search";
import type { CmdbBusinessSummary, DashboardSummary, PaasAppSummary } from "../types/summary";
import { CrossLinks } from "./crossLinks";
import { healthHistory, type HealthHistoryArgs } from "./healthHistory";
import { ProcessSearch, type ProcessPage } from "./processSearch";
import { Summaries } from "./summaries";

/**
 * The cross-model domain's logic, as resolvers (and the live subscriptions) call it: the process
 * search, the summaries, the health history and the links between the two models. Each role has a
 * file of its own beside this one; their MongoDB reads go through the stores (this domain's
 * `store.ts`, and the CMDB and PaaS stores for what they read of those models).
 */
export class CrossModelManager {
  private constructor(private readonly ctx: RequestContext) {}

  /** One manager per request, kept beside the request's loaders. */
  static of(ctx: RequestContext): CrossModelManager {
    return ctx.loaders.get("crossmodel:manager", () => new CrossModelManager(ctx));
  }

  /** The unified `processes` search (docs/graph.md, "Unified search"). */
  processes(filter: ProcessFilter, first: number, after: string | null, info: GraphQLResolveInfo, orderBy: ProcessOrder | null): Promise<ProcessPage> {
    return new ProcessSearch(this.ctx).page(filter, first, after, info, orderBy);
  }

  /** The root summary over everything the caller may read. */
  dashboardSummary(): Promise<DashboardSummary> {
    return Summaries.of(this.ctx).dashboard();
  }

  /** An app's summary (batched over the apps of a request). */
  appSummary(appCode: string): Promise<PaasAppSummary> {
    return Summaries.of(this.ctx).app(appCode);
  }

  /** A business's summary (batched over the businesses of a request). */
  businessSummary(bizId: number): Promise<CmdbBusinessSummary> {
    return Summaries.of(this.ctx).business(bizId);
  }

  /** The points of `healthHistory` for the caller's scope (docs/dashboards.md, "Health history"). */
  healthHistory(args: HealthHistoryArgs): Promise<HealthHistoryPoint[]> {
    return healthHistory(this.ctx, args);
  }

  hostOfInstance(instance: Pick<InstanceDoc, "host_ip">, projection: Projection): Promise<Document | null> {
    return CrossLinks.of(this.ctx).hostOfInstance(instance, projection);
  }

  instancesOnHost(host: Document, projection: Projection): Promise<InstanceDoc[]> {
    return CrossLinks.of(this.ctx).instancesOnHost(host, projection);
  }

  businessOfApp(app: Pick<AppDoc, "_id">, projection: Projection): Promise<Document | null> {
    return CrossLinks.of(this.ctx).businessOfApp(app, projection);
  }

  appsOfBusiness(business: Document, projection: Projection): Promise<AppDoc[]> {
    return CrossLinks.of(this.ctx).appsOfBusiness(business, projection);
  }
}
