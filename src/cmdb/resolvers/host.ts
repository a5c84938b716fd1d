import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import type { HostDoc, ProcessDoc, ServiceInstanceDoc } from "../collections";
import { CmdbManager, equalities } from "../providers/manager";
import type { ConnectionValue } from "../../graphql/connection";
import { SafeInt } from "../types/common";
import { CmdbHost, CmdbHostConnection } from "../types/host";
import { CmdbProcess } from "../types/process";
import { CmdbServiceInstance } from "../types/serviceInstance";
import { byIdResolver } from "./base";

@Resolver(() => CmdbHost)
export class CmdbHostResolver extends byIdResolver("host", CmdbHost, { one: "cmdbHost", many: "cmdbHosts", label: "CMDB host" }) {
  @Query(() => CmdbHostConnection, { description: "Hosts, by ascending bk_host_id." })
  cmdbHostList(
    @Arg("bkCloudId", () => SafeInt, { nullable: true }) bkCloudId: number | null,
    @Arg("innerIp", () => String, { nullable: true, description: "Hosts with this IPv4 among their inner IPs." }) innerIp: string | null,
    @Arg("bkAgentId", () => String, { nullable: true }) bkAgentId: string | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size: 1..500, default 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<HostDoc>> {
    // Equality with a string matches an element of the stored IP array.
    const filter = equalities({ bk_cloud_id: bkCloudId, bk_host_innerip: innerIp, bk_agent_id: bkAgentId });
    return CmdbManager.of(ctx).page("host", filter, { first, after }, info);
  }

  @Prefetched()
  @FieldResolver(() => [CmdbServiceInstance], { description: "The service instances on this host, by ascending id." })
  serviceInstances(@Root() host: HostDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ServiceInstanceDoc[]> {
    return CmdbManager.of(ctx).children("serviceInstance", "bk_host_id", host.bk_host_id, info);
  }

  @Prefetched()
  @FieldResolver(() => [CmdbProcess], { description: "The processes on this host (through cc_ProcessInstanceRelation), by ascending bk_process_id." })
  processes(@Root() host: HostDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessDoc[]> {
    return CmdbManager.of(ctx).processesBy("bk_host_id", host.bk_host_id, info);
  }
}
