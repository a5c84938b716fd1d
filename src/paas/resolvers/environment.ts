import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
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
  @FieldResolver(() => PaasModule)
  module(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleDoc | null> {
    return PaasStore.of(ctx).module(env.module_id, projectionFromInfo(info));
  }

  @FieldResolver(() => PaasApp)
  app(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<AppDoc | null> {
    return PaasStore.of(ctx).app(envScope(env._id).appCode, projectionFromInfo(info));
  }

  @FieldResolver(() => [PaasProcess], { description: "Every process, including those with zero instances, by type." })
  processes(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProcessDoc[]> {
    return PaasStore.of(ctx).processesOfEnv(env._id, projectionFromInfo(info));
  }

  @FieldResolver(() => [PaasInstance], { description: "The instances attached to the processes, by process type and name." })
  instances(
    @Root() env: ModuleEnvDoc,
    @Arg("onlyLatestVersion", { defaultValue: false, description: "Only instances whose version equals their process's." }) onlyLatestVersion: boolean,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<InstanceDoc[]> {
    return PaasManager.of(ctx).instancesOfEnv(env._id, onlyLatestVersion, projectionFromInfo(info));
  }

  @FieldResolver(() => [PaasProcessPackage], { description: "Platform-side process configuration, by name." })
  processPackages(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProcessSpecDoc[]> {
    return PaasStore.of(ctx).specsOfEnv(env._id, projectionFromInfo(info));
  }

  @FieldResolver(() => String)
  processResourceVersion(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext): Promise<string> {
    return PaasStore.of(ctx).resourceVersion(env._id, "process");
  }

  @FieldResolver(() => String)
  instanceResourceVersion(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext): Promise<string> {
    return PaasStore.of(ctx).resourceVersion(env._id, "instance");
  }
}
