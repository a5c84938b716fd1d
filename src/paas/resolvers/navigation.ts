import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { projectionFromInfo } from "../../graphql/projection";
import { childId, envScope } from "../ids";
import { clusterLink, displayName, displayState, failedCount, resourceLimitQuota, targetStatus, versionNumber } from "../providers/computed";
import type { AppDoc, InstanceDoc, ModuleDoc, ModuleEnvDoc, ProcessDoc, ProcessSpecDoc } from "../collections";
import { PaasManager } from "../providers/manager";
import { PaasStore } from "../providers/store";
import { PaasEnvironmentName, PaasProcessTargetStatus } from "../types/enums";
import { PaasApp, PaasEnvironment, PaasInstance, PaasModule, PaasProcess, PaasProcessPackage, PaasResourceQuota } from "../types/objects";

/*
 * Thin resolvers of the graph's relations (down: app → modules → environments → processes →
 * instances; up: instance → process → environment → module → app) and computed fields. Every
 * relation goes through the request's loaders with the projection of its selection.
 */

const proj = (info: GraphQLResolveInfo, extra: readonly string[] = []) => projectionFromInfo(info, { extra });

@Resolver(() => PaasApp)
export class PaasAppResolver {
  @FieldResolver(() => [PaasModule])
  modules(@Root() app: AppDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleDoc[]> {
    return PaasStore.of(ctx).modulesOfApp(app._id, proj(info));
  }

  @FieldResolver(() => PaasModule, { nullable: true })
  async module(@Root() app: AppDoc, @Arg("name") name: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleDoc | null> {
    const modules = await PaasStore.of(ctx).modulesOfApp(app._id, proj(info, ["name"]));
    return modules.find((m) => m.name === name) ?? null;
  }

  @FieldResolver(() => PaasModule, { nullable: true })
  async defaultModule(@Root() app: AppDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleDoc | null> {
    const modules = await PaasStore.of(ctx).modulesOfApp(app._id, proj(info, ["is_default"]));
    return modules.find((m) => m.is_default) ?? null;
  }
}

@Resolver(() => PaasModule)
export class PaasModuleResolver {
  @FieldResolver(() => PaasApp)
  app(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<AppDoc | null> {
    return PaasStore.of(ctx).app(module.app_code, proj(info));
  }

  @FieldResolver(() => [PaasEnvironment])
  environments(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleEnvDoc[]> {
    return PaasStore.of(ctx).envsOfModule(module._id, proj(info));
  }

  @FieldResolver(() => PaasEnvironment, { nullable: true })
  async environment(
    @Root() module: ModuleDoc,
    @Arg("name", () => PaasEnvironmentName) name: PaasEnvironmentName,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ModuleEnvDoc | null> {
    const envs = await PaasStore.of(ctx).envsOfModule(module._id, proj(info, ["environment"]));
    return envs.find((e) => e.environment === name) ?? null;
  }
}

@Resolver(() => PaasEnvironment)
export class PaasEnvironmentResolver {
  @FieldResolver(() => PaasModule)
  module(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleDoc | null> {
    return PaasStore.of(ctx).module(env.module_id, proj(info));
  }

  @FieldResolver(() => PaasApp)
  app(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<AppDoc | null> {
    return PaasStore.of(ctx).app(envScope(env._id).appCode, proj(info));
  }

  @FieldResolver(() => [PaasProcess])
  processes(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProcessDoc[]> {
    return PaasStore.of(ctx).processesOfEnv(env._id, proj(info));
  }

  @FieldResolver(() => [PaasInstance])
  instances(
    @Root() env: ModuleEnvDoc,
    @Arg("onlyLatestVersion", { defaultValue: false, description: "Only instances whose version equals their process's." }) onlyLatestVersion: boolean,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<InstanceDoc[]> {
    return PaasManager.of(ctx).instancesOfEnv(env._id, onlyLatestVersion, proj(info));
  }

  @FieldResolver(() => [PaasProcessPackage])
  processPackages(@Root() env: ModuleEnvDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProcessSpecDoc[]> {
    return PaasStore.of(ctx).specsOfEnv(env._id, proj(info));
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

@Resolver(() => PaasProcess)
export class PaasProcessResolver {
  @FieldResolver(() => Int)
  failed(@Root() process: ProcessDoc): number {
    return failedCount(process);
  }

  @FieldResolver(() => Int)
  version(@Root() process: ProcessDoc): number {
    return versionNumber(process.version);
  }

  @FieldResolver(() => String)
  async clusterLink(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext): Promise<string> {
    const module = await PaasStore.of(ctx).module(envScope(process.env_id).moduleId, new Set(["is_default"]));
    return clusterLink(process.env_id, process.type, module?.is_default ?? false);
  }

  @FieldResolver(() => PaasEnvironment)
  environment(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleEnvDoc | null> {
    return PaasStore.of(ctx).env(process.env_id, proj(info));
  }

  @FieldResolver(() => [PaasInstance])
  instances(
    @Root() process: ProcessDoc,
    @Arg("onlyLatestVersion", { defaultValue: false, description: "Only instances whose version equals this process's." }) onlyLatestVersion: boolean,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<InstanceDoc[]> {
    return PaasManager.of(ctx).instancesOfProcess(process, onlyLatestVersion, proj(info));
  }

  @FieldResolver(() => PaasProcessPackage, { nullable: true, name: "package" })
  processPackage(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProcessSpecDoc | null> {
    return PaasStore.of(ctx).spec(childId(process.env_id, process.type), proj(info));
  }
}

@Resolver(() => PaasInstance)
export class PaasInstanceResolver {
  @FieldResolver(() => String)
  displayName(@Root() instance: InstanceDoc): string {
    return displayName(instance.name);
  }

  @FieldResolver(() => String)
  state(@Root() instance: InstanceDoc): string {
    return displayState(instance);
  }

  @FieldResolver(() => Int)
  version(@Root() instance: InstanceDoc): number {
    return versionNumber(instance.version);
  }

  @FieldResolver(() => PaasProcess, { nullable: true })
  process(@Root() instance: InstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProcessDoc | null> {
    return PaasStore.of(ctx).process(childId(instance.env_id, instance.process_type), proj(info));
  }

  @FieldResolver(() => PaasEnvironment)
  environment(@Root() instance: InstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleEnvDoc | null> {
    return PaasStore.of(ctx).env(instance.env_id, proj(info));
  }
}

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
    return PaasStore.of(ctx).env(spec.env_id, proj(info));
  }

  @FieldResolver(() => PaasProcess, { nullable: true })
  process(@Root() spec: ProcessSpecDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ProcessDoc | null> {
    return PaasStore.of(ctx).process(childId(spec.env_id, spec.name), proj(info));
  }
}
