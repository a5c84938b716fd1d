import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from "type-graphql";
import { andThen, type MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import { MongoFields, projectionFromInfo, type Projection } from "../../graphql/projection";
import type { InstanceDoc, ModuleEnvDoc, ProcessDoc, ProcessSpecDoc } from "../collections";
import { childId, moduleIdOfEnv } from "../ids";
import { clusterLink, failedCount, versionNumber } from "../providers/computed";
import { PaasManager } from "../providers/manager";
import { PaasStore } from "../providers/store";
import { PaasEnvironment } from "../types/environment";
import { PaasInstance } from "../types/instance";
import { PaasProcess } from "../types/process";
import { PaasProcessPackage } from "../types/processPackage";

const IS_DEFAULT: Projection = new Set(["is_default"]);

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

  @Prefetched()
  @FieldResolver(() => String)
  clusterLink(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext): MaybePromise<string> {
    const module = PaasStore.of(ctx).module(moduleIdOfEnv(process.env_id), IS_DEFAULT);
    return andThen(module, (found) => clusterLink(process.env_id, process.type, found?.is_default ?? false));
  }

  @Prefetched()
  @FieldResolver(() => PaasEnvironment)
  environment(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleEnvDoc | null> {
    return PaasStore.of(ctx).env(process.env_id, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => [PaasInstance])
  @MongoFields(["version"])
  instances(
    @Root() process: ProcessDoc,
    @Arg("onlyLatestVersion", { defaultValue: false, description: "Only instances whose version equals this process's." }) onlyLatestVersion: boolean,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<InstanceDoc[]> {
    return PaasManager.of(ctx).instancesOfProcess(process, onlyLatestVersion, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => PaasProcessPackage, { nullable: true, name: "package", description: "The process package of the same name." })
  processPackage(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessSpecDoc | null> {
    return PaasStore.of(ctx).spec(childId(process.env_id, process.type), projectionFromInfo(info));
  }
}
