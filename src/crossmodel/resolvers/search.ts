import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Info, Int, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { CrossModelManager } from "../providers/manager";
import { DEFAULT_PROCESS_PAGE, MAX_PROCESS_PAGE, type ProcessPage } from "../providers/processSearch";
import { ProcessConnection, ProcessFilter, ProcessOrder } from "../types/search";

@Resolver()
export class ProcessSearchResolver {
  @Query(() => ProcessConnection, { description: "Processes of both models: CMDB by bk_process_id, then PaaS by key; within the caller's scope." })
  processes(
    @Arg("filter", () => ProcessFilter, { nullable: true }) filter: ProcessFilter | null,
    @Arg("first", () => Int, { defaultValue: DEFAULT_PROCESS_PAGE, description: `Page size: 1..${MAX_PROCESS_PAGE}.` }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page (of the same orderBy)." }) after: string | null,
    @Arg("orderBy", () => ProcessOrder, { nullable: true, description: "Omitted: CMDB by bk_process_id, then PaaS by key." }) orderBy: ProcessOrder | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProcessPage> {
    return CrossModelManager.of(ctx).processes(filter ?? {}, first, after, info, orderBy);
  }
}
