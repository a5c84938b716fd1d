import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { PACKAGE_VERSION } from "../paths";
import { ProcgraphInfo } from "./types";


@Resolver(() => ProcgraphInfo)
export class SystemResolver {
  @Query(() => ProcgraphInfo, { description: "Which procgraph answers, and over which database." })
  async procgraph(@Ctx() ctx: RequestContext): Promise<ProcgraphInfo> {
    const buildInfo = await ctx.db.command({ buildInfo: 1 });
    return { version: PACKAGE_VERSION, databaseName: ctx.db.databaseName, databaseServerVersion: String(buildInfo.version ?? "unknown") };
  }
}
