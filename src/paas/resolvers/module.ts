import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import { andThen, type MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import { projectionFromInfo } from "../../graphql/projection";
import type { AppDoc, ModuleDoc, ModuleEnvDoc } from "../collections";
import { PaasStore } from "../providers/store";
import { PaasApp } from "../types/app";
import { PaasEnvironmentName } from "../types/enums";
import { PaasEnvironment } from "../types/environment";
import { PaasModule } from "../types/module";

@Resolver(() => PaasModule)
export class PaasModuleResolver {
  @Prefetched()
  @FieldResolver(() => PaasApp)
  app(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<AppDoc | null> {
    return PaasStore.of(ctx).app(module.app_code, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => [PaasEnvironment], { description: "The module's environments (`prod`, then `stag`)." })
  environments(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleEnvDoc[]> {
    return PaasStore.of(ctx).envsOfModule(module._id, projectionFromInfo(info));
  }

  @Prefetched()
  @FieldResolver(() => PaasEnvironment, { nullable: true })
  environment(
    @Root() module: ModuleDoc,
    @Arg("name", () => PaasEnvironmentName) name: PaasEnvironmentName,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<ModuleEnvDoc | null> {
    const envs = PaasStore.of(ctx).envsOfModule(module._id, projectionFromInfo(info, { extra: ["environment"] }));
    return andThen(envs, (found) => found.find((e) => e.environment === name) ?? null);
  }
}
