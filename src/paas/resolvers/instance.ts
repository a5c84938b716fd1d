import type { GraphQLResolveInfo } from "graphql";
import { Ctx, FieldResolver, Info, Int, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import { MongoFields, projectionFromInfo } from "../../graphql/projection";
import type { InstanceDoc, ModuleEnvDoc, ProcessDoc } from "../collections";
import { childId } from "../ids";
import { displayName, displayState, versionNumber } from "../providers/computed";
import { PaasStore } from "../providers/store";
import { PaasEnvironment } from "../types/environment";
import { PaasInstance } from "../types/instance";
import { PaasProcess } from "../types/process";

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

  @Prefetched()
  @FieldResolver(() => PaasProcess, { nullable: true, description: "The process of the same type; null when there is none." })
  @MongoFields(["process_type"])
  process(@Root() instance: InstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessDoc | null> {
    return PaasStore.of(ctx).process(childId(instance.env_id, instance.process_type), projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => PaasEnvironment)
  environment(@Root() instance: InstanceDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleEnvDoc | null> {
    return PaasStore.of(ctx).env(instance.env_id, projectionFromInfo(info));
  }
}
