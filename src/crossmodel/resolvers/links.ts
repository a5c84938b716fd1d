import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import { Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import { CmdbBusiness } from "../../cmdb/types/business";
import { CmdbHost } from "../../cmdb/types/host";
import type { RequestContext } from "../../graphql/context";
import { MongoFields, projectionFromInfo } from "../../graphql/projection";
import type { AppDoc, InstanceDoc } from "../../paas/collections";
import { PaasApp } from "../../paas/types/app";
import { PaasInstance } from "../../paas/types/instance";
import { CrossModelManager } from "../providers/manager";

@Resolver(() => PaasInstance)
export class PaasInstanceLinkResolver {
  @FieldResolver(() => CmdbHost, { nullable: true, description: "The CMDB host whose inner IPs include `hostIp` (lowest bkHostId if several); null without one or outside the caller's scope." })
  @MongoFields(["host_ip"])
  cmdbHost(@Root() instance: InstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document | null> {
    return CrossModelManager.of(ctx).hostOfInstance(instance, projectionFromInfo(info));
  }
}

@Resolver(() => CmdbHost)
export class CmdbHostLinkResolver {
  @FieldResolver(() => [PaasInstance], { description: "The PaaS instances whose host IP is one of this host's inner IPs, by key; only the caller's apps." })
  @MongoFields(["bk_host_innerip"])
  paasInstances(@Root() host: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<InstanceDoc[]> {
    return CrossModelManager.of(ctx).instancesOnHost(host, projectionFromInfo(info));
  }
}

@Resolver(() => PaasApp)
export class PaasAppLinkResolver {
  @FieldResolver(() => CmdbBusiness, { nullable: true, description: "The CMDB business the operator linked this app to (`npm run link`); null without a link or outside the caller's scope." })
  @MongoFields(["_id"])
  cmdbBusiness(@Root() app: AppDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document | null> {
    return CrossModelManager.of(ctx).businessOfApp(app, projectionFromInfo(info));
  }
}

@Resolver(() => CmdbBusiness)
export class CmdbBusinessLinkResolver {
  @FieldResolver(() => [PaasApp], { description: "The PaaS apps linked to this business (`npm run link`), by code; only the caller's apps." })
  @MongoFields(["bk_biz_id"])
  paasApps(@Root() business: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<AppDoc[]> {
    return CrossModelManager.of(ctx).appsOfBusiness(business, projectionFromInfo(info));
  }
}
