import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Info, Int, Query, Resolver } from "type-graphql";
import { pageSize, type ConnectionValue } from "../../graphql/connection";
import type { RequestContext } from "../../graphql/context";
import { badUserInput, notFound } from "../../graphql/errors";
import { connectionNodeProjection, projectionFromInfo } from "../../graphql/projection";
import { MergePoint } from "../../graphql/stitching";
import type { AppDoc } from "../collections";
import { clusterLink } from "../providers/computed";
import { PaasNotFoundError, PaasValidationError } from "../providers/errors";
import { APP_PAGE_DEFAULT, APP_PAGE_MAX, appCursors, PaasManager, type AppListFilter } from "../providers/manager";
import { PaasApp, PaasAppConnection } from "../types/app";
import { PaasEnvironmentName } from "../types/enums";
import { PaasAppFilter } from "../types/inputs";
import { PaasProcessList } from "../types/processList";

const MAX_CODES = 500;

@Resolver()
export class PaasQueryResolver {
  @Query(() => PaasApp, { nullable: true, description: "One PaaS application by code; null when there is none." })
  async paasApp(@Arg("code") code: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<AppDoc | null> {
    const [app] = await PaasManager.of(ctx).appsByCodes([code], projectionFromInfo(info));
    return app;
  }

  @Query(() => [PaasApp], { nullable: "items", description: `Applications by code, in the order given, null for a miss (at most ${MAX_CODES} codes).` })
  @MergePoint(PaasApp, "code", "codes")
  paasApps(@Arg("codes", () => [String]) codes: string[], @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Array<AppDoc | null>> {
    if (codes.length > MAX_CODES) throw badUserInput(`codes: at most ${MAX_CODES} codes per query`, { argumentName: "codes" });
    return PaasManager.of(ctx).appsByCodes(codes, projectionFromInfo(info));
  }

  @Query(() => PaasAppConnection, { description: `Applications in code order, a page at a time (first: 1 to ${APP_PAGE_MAX}).` })
  async paasAppList(
    @Arg("filter", () => PaasAppFilter, { nullable: true }) filter: PaasAppFilter | null,
    @Arg("first", () => Int, { defaultValue: APP_PAGE_DEFAULT }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<AppDoc>> {
    const size = pageSize(first, { defaultSize: APP_PAGE_DEFAULT, max: APP_PAGE_MAX });
    const appFilter: AppListFilter = { type: filter?.type, language: filter?.language, codePrefix: filter?.codePrefix };
    const projection = connectionNodeProjection(info);
    return PaasManager.of(ctx).appPage(appFilter, size, after == null ? null : appCursors.decode(after), projection, info);
  }

  @Query(() => PaasProcessList, { description: "The REST processes list of one module environment (same rules, same computed values)." })
  async paasProcessList(
    @Arg("appCode") appCode: string,
    @Arg("moduleName", () => String, { nullable: true, description: "Omitted or null: the app's default module." }) moduleName: string | null,
    @Arg("environment", () => PaasEnvironmentName) environment: PaasEnvironmentName,
    @Arg("onlyLatestVersion", { defaultValue: false }) onlyLatestVersion: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<PaasProcessList> {
    try {
      const list = await PaasManager.of(ctx).processList({ appCode, moduleName: moduleName ?? null, environment, onlyLatestVersion });
      return {
        app: list.app,
        module: list.module,
        environment: list.env,
        processes: {
          items: list.processes,
          extraInfos: list.processes.map((p) => ({ type: p.type, command: p.command, clusterLink: clusterLink(p.env_id, p.type, list.module.is_default) })),
          metadata: { resourceVersion: list.processResourceVersion },
        },
        instances: { items: list.instances, metadata: { resourceVersion: list.instanceResourceVersion } },
        processPackages: list.specs,
      } as unknown as PaasProcessList;
    } catch (error) {
      if (error instanceof PaasNotFoundError) throw notFound(error.message);
      if (error instanceof PaasValidationError) throw badUserInput(error.message, { fields: error.fields });
      throw error;
    }
  }
}
