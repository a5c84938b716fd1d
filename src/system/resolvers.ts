import type { GraphQLResolveInfo } from "graphql";
import { Ctx, Info, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { printSchemaFile } from "../graphql/print";
import { PACKAGE_VERSION } from "../paths";
import { ProcgraphInfo, Viewer } from "./types";

@Resolver()
export class SystemResolver {
  @Query(() => Viewer, { description: "Who the server takes the caller for, and what it may read." })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    const { cmdbBusinesses, paasApps } = ctx.scope.toJSON();
    return {
      principal: ctx.principal,
      anonymous: ctx.anonymous,
      cmdbBusinesses: cmdbBusinesses === "*" ? null : cmdbBusinesses,
      paasApps: paasApps === "*" ? null : paasApps,
    };
  }

  @Query(() => ProcgraphInfo, { description: "Which procgraph answers, and over which database." })
  async procgraph(@Ctx() ctx: RequestContext): Promise<ProcgraphInfo> {
    const buildInfo = await ctx.query(({ signal }) => ctx.db.command({ buildInfo: 1 }, { signal }));
    return { version: PACKAGE_VERSION, databaseName: ctx.db.databaseName, databaseServerVersion: String(buildInfo.version ?? "unknown") };
  }

  @Query(() => String, {
    name: "_sdl",
    description:
      "The schema as SDL with its directives (the stitching merge points), exactly as schema/schema.graphql: for gateways, also when introspection is off.",
  })
  sdl(@Info() info: GraphQLResolveInfo): string {
    return printSchemaFile(info.schema);
  }
}
