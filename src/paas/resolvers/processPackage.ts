import type { GraphQLResolveInfo } from "graphql";
import { Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import { andThen, type MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import { projectionFromInfo, type Projection } from "../../graphql/projection";
import type { ModuleEnvDoc, ProcessDoc, ProcessSpecDoc } from "../collections";
import { childId, envScope } from "../ids";
import { resourceLimitQuota, targetStatus } from "../providers/computed";
import { PaasStore } from "../providers/store";
import { PaasProcessTargetStatus } from "../types/enums";
import { PaasEnvironment } from "../types/environment";
import { PaasProcess } from "../types/process";
import { PaasProcessPackage, PaasResourceQuota } from "../types/processPackage";

const APP_TYPE: Projection = new Set(["type"]);

@Resolver(() => PaasProcessPackage)
export class PaasProcessPackageResolver {
  @Prefetched()
  @FieldResolver(() => PaasProcessTargetStatus)
  targetStatus(@Root() spec: ProcessSpecDoc, @Ctx() ctx: RequestContext): MaybePromise<string> {
    const app = PaasStore.of(ctx).app(envScope(spec.env_id).appCode, APP_TYPE);
    return andThen(app, (found) => targetStatus(spec, found?.type ?? "default"));
  }

  @FieldResolver(() => PaasResourceQuota)
  resourceLimitQuota(@Root() spec: ProcessSpecDoc): PaasResourceQuota {
    return resourceLimitQuota(spec.resource_limit);
  }

  @Prefetched()
  @FieldResolver(() => PaasEnvironment)
  environment(@Root() spec: ProcessSpecDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleEnvDoc | null> {
    return PaasStore.of(ctx).env(spec.env_id, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => PaasProcess, { nullable: true })
  process(@Root() spec: ProcessSpecDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessDoc | null> {
    return PaasStore.of(ctx).process(childId(spec.env_id, spec.name), projectionFromInfo(info));
  }
}
