import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import { projectionFromInfo } from "../../graphql/projection";
import type { AppDoc, InstanceDoc, ModuleDoc, ModuleEnvDoc, ProcessDoc, ProcessSpecDoc } from "../collections";
import { envScope } from "../ids";
import { PaasManager } from "../providers/manager";
import { PaasStore } from "../providers/store";
import { PaasApp } from "../types/app";
import { PaasEnvironment } from "../types/environment";
import { PaasInstance } from "../types/instance";
import { PaasModule } from "../types/module";
import { PaasProcess } from "../types/process";
import { PaasProcessPackage } from "../types/processPackage";

@Resolver(() => PaasEnvironment)
export class PaasEnvironmentResolver {
  @Prefetched()
  @FieldResolver(() => PaasModule)
  module(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleDoc | null> {
    return PaasStore.of(ctx).module(env.module_id, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => PaasApp)
  app(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<AppDoc | null> {
    return PaasStore.of(ctx).app(envScope(env._id).appCode, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => [PaasProcess], { description: "Every process, including those with zero instances, by type." })
  processes(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessDoc[]> {
    return PaasStore.of(ctx).processesOfEnv(env._id, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => [PaasInstance], { description: "The instances attached to the processes, by process type and name." })
  instances(
    @Root() env: ModuleEnvDoc,
    @Arg("onlyLatestVersion", { defaultValue: false, description: "Only instances whose version equals their process's." }) onlyLatestVersion: boolean,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<InstanceDoc[]> {
    return PaasManager.of(ctx).instancesOfEnv(env._id, onlyLatestVersion, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => [PaasProcessPackage], { description: "Platform-side process configuration, by name." })
  processPackages(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessSpecDoc[]> {
    return PaasStore.of(ctx).specsOfEnv(env._id, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => String)
  processResourceVersion(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext): MaybePromise<string> {
    return PaasStore.of(ctx).resourceVersion(env._id, "process");
  }

  @Prefetched()
  @FieldResolver(() => String)
  instanceResourceVersion(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext): MaybePromise<string> {
    return PaasStore.of(ctx).resourceVersion(env._id, "instance");
  }
}
