import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import type { BusinessDoc, ModuleDoc, SetDoc } from "../collections";
import { CmdbManager, equalities } from "../providers/manager";
import { CmdbBusiness } from "../types/business";
import type { ConnectionValue } from "../../graphql/connection";
import { SafeInt } from "../types/common";
import { CmdbModule } from "../types/module";
import { CmdbSet, CmdbSetConnection } from "../types/set";
import { byIdResolver } from "./base";

@Resolver(() => CmdbSet)
export class CmdbSetResolver extends byIdResolver("set", CmdbSet, { one: "cmdbSet", many: "cmdbSets", label: "CMDB set" }) {
  @Query(() => CmdbSetConnection, { description: "Sets, by ascending bk_set_id." })
  cmdbSetList(
    @Arg("bkBizId", () => SafeInt, { nullable: true }) bkBizId: number | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size: 1..500, default 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<SetDoc>> {
    return CmdbManager.of(ctx).page("set", equalities({ bk_biz_id: bkBizId }), { first, after }, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbBusiness, { nullable: true })
  business(@Root() set: SetDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<BusinessDoc | null> {
    return CmdbManager.of(ctx).one("business", set.bk_biz_id, info);
  }

  @Prefetched()
  @FieldResolver(() => [CmdbModule], { description: "The modules of this set, by ascending bk_module_id." })
  modules(@Root() set: SetDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleDoc[]> {
    return CmdbManager.of(ctx).children("module", "bk_set_id", set.bk_set_id, info);
  }
}
