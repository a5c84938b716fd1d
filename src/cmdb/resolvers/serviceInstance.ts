import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import type { BusinessDoc, HostDoc, ModuleDoc, ProcessDoc, ServiceInstanceDoc } from "../collections";
import { CmdbManager, equalities } from "../providers/manager";
import { CmdbBusiness } from "../types/business";
import type { ConnectionValue } from "../../graphql/connection";
import { SafeInt } from "../types/common";
import { CmdbHost } from "../types/host";
import { CmdbModule } from "../types/module";
import { CmdbProcess } from "../types/process";
import { CmdbServiceInstance, CmdbServiceInstanceConnection } from "../types/serviceInstance";
import { byIdResolver } from "./base";

@Resolver(() => CmdbServiceInstance)
export class CmdbServiceInstanceResolver extends byIdResolver("serviceInstance", CmdbServiceInstance, {
  one: "cmdbServiceInstance",
  many: "cmdbServiceInstances",
  label: "CMDB service instance",
}) {
  @Query(() => CmdbServiceInstanceConnection, { description: "Service instances, by ascending id." })
  cmdbServiceInstanceList(
    @Arg("bkBizId", () => SafeInt, { nullable: true }) bkBizId: number | null,
    @Arg("bkModuleId", () => SafeInt, { nullable: true }) bkModuleId: number | null,
    @Arg("bkHostId", () => SafeInt, { nullable: true }) bkHostId: number | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size: 1..500, default 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<ServiceInstanceDoc>> {
    const filter = equalities({ bk_biz_id: bkBizId, bk_module_id: bkModuleId, bk_host_id: bkHostId });
    return CmdbManager.of(ctx).page("serviceInstance", filter, { first, after }, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbBusiness, { nullable: true })
  business(@Root() instance: ServiceInstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<BusinessDoc | null> {
    return CmdbManager.of(ctx).one("business", instance.bk_biz_id, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbModule, { nullable: true })
  module(@Root() instance: ServiceInstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleDoc | null> {
    return CmdbManager.of(ctx).one("module", instance.bk_module_id, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbHost, { nullable: true })
  host(@Root() instance: ServiceInstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<HostDoc | null> {
    return CmdbManager.of(ctx).one("host", instance.bk_host_id, info);
  }

  @Prefetched()
  @FieldResolver(() => [CmdbProcess], { description: "The processes of this service instance (through cc_ProcessInstanceRelation), by ascending bk_process_id." })
  processes(@Root() instance: ServiceInstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessDoc[]> {
    return CmdbManager.of(ctx).processesBy("service_instance_id", instance.id, info);
  }
}
