import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
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
  @FieldResolver(() => PaasApp)
  app(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<AppDoc | null> {
    return PaasStore.of(ctx).app(module.app_code, projectionFromInfo(info));
  }

  @FieldResolver(() => [PaasEnvironment], { description: "The module's environments (`prod`, then `stag`)." })
  environments(@Root() module: ModuleDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ModuleEnvDoc[]> {
    return PaasStore.of(ctx).envsOfModule(module._id, projectionFromInfo(info));
  }

  @FieldResolver(() => PaasEnvironment, { nullable: true })
  async environment(
    @Root() module: ModuleDoc,
    @Arg("name", () => PaasEnvironmentName) name: PaasEnvironmentName,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ModuleEnvDoc | null> {
    const envs = await PaasStore.of(ctx).envsOfModule(module._id, projectionFromInfo(info, { extra: ["environment"] }));
    return envs.find((e) => e.environment === name) ?? null;
  }
}
