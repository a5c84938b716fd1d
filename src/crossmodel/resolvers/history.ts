import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { GraphQLInstant } from "../../graphql/instant";
import { CrossModelManager } from "../providers/manager";
import { HealthHistoryGroup, HealthHistoryPoint } from "../types/history";

@Resolver()
export class HealthHistoryResolver {
  @Query(() => [HealthHistoryPoint], {
    description:
      "Process health over time, from the samples procgraph takes every HEALTH_HISTORY_INTERVAL (kept for HEALTH_HISTORY_RETENTION): per step, the step's last sample, within the caller's scope. Points by time, then key; a step without a sample has no point.",
  })
  healthHistory(
    @Ctx() ctx: RequestContext,
    @Arg("from", () => GraphQLInstant, { nullable: true, description: "Default: one hour before `to`." }) from: Date | null,
    @Arg("to", () => GraphQLInstant, { nullable: true, description: "Default: now." }) to: Date | null,
    @Arg("step", () => Int, { nullable: true, description: "Seconds per point (at most 2000 steps from..to). Default: about 360 steps, at least the sampling interval." }) step: number | null,
    @Arg("groupBy", () => HealthHistoryGroup, { defaultValue: HealthHistoryGroup.OVERALL }) groupBy: HealthHistoryGroup,
  ): Promise<HealthHistoryPoint[]> {
    return CrossModelManager.of(ctx).healthHistory({ from, to, step, groupBy });
  }
}
