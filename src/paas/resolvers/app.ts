import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import { andThen, type MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import { projectionFromInfo } from "../../graphql/projection";
import type { AppDoc, ModuleDoc } from "../collections";
import { PaasStore } from "../providers/store";
import { PaasApp } from "../types/app";
import { PaasModule } from "../types/module";

/*
 * The relations of the PaaS graph, one resolver per entity (down: app → modules → environments →
 * processes → instances; up: instance → process → environment → module → app), and its computed
 * fields. Each is thin: every relation goes through the request's loaders with the projection of
 * its selection.
 */

@Resolver(() => PaasApp)
export class PaasAppResolver {
  @Prefetched()
  @FieldResolver(() => [PaasModule], { description: "The app's modules, by name." })
  modules(@Root() app: AppDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleDoc[]> {
    return PaasStore.of(ctx).modulesOfApp(app._id, projectionFromInfo(info));
  }

  @FieldResolver(() => PaasModule, { nullable: true, description: "One module by name; null when there is none." })
  module(@Root() app: AppDoc, @Arg("name") name: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleDoc | null> {
    const modules = PaasStore.of(ctx).modulesOfApp(app._id, projectionFromInfo(info, { extra: ["name"] }));
    return andThen(modules, (found) => found.find((m) => m.name === name) ?? null);
  }

  @FieldResolver(() => PaasModule, { nullable: true, description: "The default module (`is_default`)." })
  defaultModule(@Root() app: AppDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleDoc | null> {
    const modules = PaasStore.of(ctx).modulesOfApp(app._id, projectionFromInfo(info, { extra: ["is_default"] }));
    return andThen(modules, (found) => found.find((m) => m.is_default) ?? null);
  }
}
