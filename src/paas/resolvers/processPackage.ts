import type { GraphQLResolveInfo } from "graphql";
import { Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { projectionFromInfo } from "../../graphql/projection";
import type { ModuleEnvDoc, ProcessDoc, ProcessSpecDoc } from "../collections";
import { childId, envScope } from "../ids";
import { resourceLimitQuota, targetStatus } from "../providers/computed";
import { PaasStore } from "../providers/store";
import { PaasProcessTargetStatus } from "../types/enums";
import { PaasEnvironment } from "../types/environment";
import { PaasProcess } from "../types/process";
import { PaasProcessPackage, PaasResourceQuota } from "../types/processPackage";

@Resolver(() => PaasProcessPackage)
export class PaasProcessPackageResolver {
  @FieldResolver(() => PaasProcessTargetStatus)
  async targetStatus(@Root() spec: ProcessSpecDoc, @Ctx() ctx: RequestContext): Promise<string> {
    const app = await PaasStore.of(ctx).app(envScope(spec.env_id).appCode, new Set(["type"]));
    return targetStatus(spec, app?.type ?? "default");
  }

  @FieldResolver(() => PaasResourceQuota)
  resourceLimitQuota(@Root() spec: ProcessSpecDoc): PaasResourceQuota {
    return resourceLimitQuota(spec.resource_limit);
  }

  @FieldResolver(() => PaasEnvironment)
  environment(@Root() spec: ProcessSpecDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleEnvDoc | null> {
    return PaasStore.of(ctx).env(spec.env_id, projectionFromInfo(info));
  }

  @FieldResolver(() => PaasProcess, { nullable: true })
  process(@Root() spec: ProcessSpecDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProcessDoc | null> {
    return PaasStore.of(ctx).process(childId(spec.env_id, spec.name), projectionFromInfo(info));
  }
}
