import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import type { BusinessDoc, SetDoc } from "../collections";
import { CmdbManager } from "../providers/manager";
import { CmdbBusiness, CmdbBusinessConnection } from "../types/business";
import type { ConnectionValue } from "../../graphql/connection";
import { CmdbSet } from "../types/set";
import { byIdResolver } from "./base";

@Resolver(() => CmdbBusiness)
export class CmdbBusinessResolver extends byIdResolver("business", CmdbBusiness, { one: "cmdbBusiness", many: "cmdbBusinesses", label: "CMDB business" }) {
  @Query(() => CmdbBusinessConnection, { description: "The businesses, by ascending bk_biz_id." })
  cmdbBusinessList(
    @Arg("first", () => Int, { nullable: true, description: "Page size: 1..500, default 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<BusinessDoc>> {
    return CmdbManager.of(ctx).page("business", {}, { first, after }, info);
  }

  @Prefetched()
  @FieldResolver(() => [CmdbSet], { description: "The sets of this business, by ascending bk_set_id." })
  sets(@Root() business: BusinessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<SetDoc[]> {
    return CmdbManager.of(ctx).children("set", "bk_biz_id", business.bk_biz_id, info);
  }
}
