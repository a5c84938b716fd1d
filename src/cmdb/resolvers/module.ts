import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import type { BusinessDoc, ModuleDoc, ServiceInstanceDoc, SetDoc } from "../collections";
import { CmdbManager, equalities } from "../providers/manager";
import { CmdbBusiness } from "../types/business";
import type { ConnectionValue } from "../../graphql/connection";
import { SafeInt } from "../types/common";
import { CmdbModule, CmdbModuleConnection } from "../types/module";
import { CmdbServiceInstance } from "../types/serviceInstance";
import { CmdbSet } from "../types/set";
import { byIdResolver } from "./base";

@Resolver(() => CmdbModule)
export class CmdbModuleResolver extends byIdResolver("module", CmdbModule, { one: "cmdbModule", many: "cmdbModules", label: "CMDB module" }) {
  @Query(() => CmdbModuleConnection, { description: "Modules, by ascending bk_module_id." })
  cmdbModuleList(
    @Arg("bkBizId", () => SafeInt, { nullable: true }) bkBizId: number | null,
    @Arg("bkSetId", () => SafeInt, { nullable: true }) bkSetId: number | null,
    @Arg("default", () => Int, { nullable: true, description: "1 idle, 2 fault, 3 recycle; 0 for normal modules." }) builtIn: number | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size: 1..500, default 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<ModuleDoc>> {
    return CmdbManager.of(ctx).page("module", equalities({ bk_biz_id: bkBizId, bk_set_id: bkSetId, default: builtIn }), { first, after }, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbBusiness, { nullable: true })
  business(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<BusinessDoc | null> {
    return CmdbManager.of(ctx).one("business", module.bk_biz_id, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbSet, { nullable: true })
  set(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<SetDoc | null> {
    return CmdbManager.of(ctx).one("set", module.bk_set_id, info);
  }

  @Prefetched()
  @FieldResolver(() => [CmdbServiceInstance], { description: "The service instances of this module, by ascending id." })
  serviceInstances(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ServiceInstanceDoc[]> {
    return CmdbManager.of(ctx).children("serviceInstance", "bk_module_id", module.bk_module_id, info);
  }
}
