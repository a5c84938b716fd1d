import type { Document } from "mongodb";
import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { CmdbBusiness } from "../../cmdb/types/business";
import type { RequestContext } from "../../graphql/context";
import { MongoFields } from "../../graphql/projection";
import type { AppDoc } from "../../paas/collections";
import { PaasApp } from "../../paas/types/app";
import { CrossModelManager } from "../providers/manager";
import { CmdbBusinessSummary, DashboardSummary, PaasAppSummary } from "../types/summary";

@Resolver()
export class DashboardSummaryResolver {
  @Query(() => DashboardSummary, { description: "Counts over both models, within the caller's scope (three aggregations)." })
  dashboardSummary(@Ctx() ctx: RequestContext): Promise<DashboardSummary> {
    return CrossModelManager.of(ctx).dashboardSummary();
  }
}

@Resolver(() => PaasApp)
export class PaasAppSummaryResolver {
  @FieldResolver(() => PaasAppSummary, { description: "Process health and instance counts of this app (batched over the apps of a query)." })
  @MongoFields(["_id"])
  summary(@Root() app: AppDoc, @Ctx() ctx: RequestContext): Promise<PaasAppSummary> {
    return CrossModelManager.of(ctx).appSummary(app._id);
  }
}

@Resolver(() => CmdbBusiness)
export class CmdbBusinessSummaryResolver {
  @FieldResolver(() => CmdbBusinessSummary, { description: "Process counts by set and module, and health with the linked apps (batched over the businesses of a query)." })
  @MongoFields(["bk_biz_id"])
  summary(@Root() business: Document, @Ctx() ctx: RequestContext): Promise<CmdbBusinessSummary> {
    return CrossModelManager.of(ctx).businessSummary(business.bk_biz_id as number);
  }
}
