import { Field, Int, ObjectType } from "type-graphql";

@ObjectType("SummaryCount", { description: "How many things share one value (a state, a set, an environment...)." })
export class SummaryCount {
  @Field(() => String, { nullable: true, description: "The value grouped by (an id, key or state); null for things without one." })
  key!: string | null;

  @Field(() => String, { nullable: true, description: "A display name for the key, where there is one (set and module names)." })
  label!: string | null;

  @Field(() => Int)
  count!: number;
}

@ObjectType("HealthCounts", { description: "Processes by health status (see ProcessHealthStatus)." })
export class HealthCounts {
  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  healthy!: number;

  @Field(() => Int)
  unhealthy!: number;

  @Field(() => Int)
  stopped!: number;

  @Field(() => Int, { description: "CMDB processes (no live state)." })
  unknown!: number;
}

@ObjectType("HealthCountsByKey", { description: "Health counts of the processes of one business or app." })
export class HealthCountsByKey {
  @Field({ description: "The business id (as text) or the app code." })
  key!: string;

  @Field(() => HealthCounts)
  health!: HealthCounts;
}

@ObjectType("PaasAppSummary", { description: "Counts over one app's processes and instances, computed in MongoDB." })
export class PaasAppSummary {
  @Field(() => HealthCounts, { description: "Its processes by health (total = process count)." })
  health!: HealthCounts;

  @Field(() => Int)
  instanceCount!: number;

  @Field(() => [SummaryCount], { description: "Instances by display state (Running, Starting, Pending, ...), by state." })
  instancesByState!: SummaryCount[];

  @Field(() => [SummaryCount], { description: "Processes by module environment key, by key." })
  processesByEnvironment!: SummaryCount[];

  @Field(() => [SummaryCount], { description: "Instances by module environment key, by key." })
  instancesByEnvironment!: SummaryCount[];
}

@ObjectType("CmdbBusinessSummary", { description: "Counts over one business's processes and its linked apps', computed in MongoDB." })
export class CmdbBusinessSummary {
  @Field(() => Int, { description: "Its CMDB processes." })
  processCount!: number;

  @Field(() => [SummaryCount], { description: "CMDB processes by set (key: bk_set_id, label: set name), by key; null key: no service instance." })
  processesBySet!: SummaryCount[];

  @Field(() => [SummaryCount], { description: "CMDB processes by module (key: bk_module_id, label: module name), by key." })
  processesByModule!: SummaryCount[];

  @Field(() => HealthCounts, { description: "Its CMDB processes (unknown) plus the processes of the linked apps the caller may see." })
  health!: HealthCounts;

  @Field(() => [HealthCountsByKey], { description: "The linked apps the caller may see, by code." })
  paasApps!: HealthCountsByKey[];
}

@ObjectType("DashboardSummary", { description: "Counts over everything the caller may see, in both models, computed in MongoDB." })
export class DashboardSummary {
  @Field(() => HealthCounts, { description: "All processes of both models by health." })
  health!: HealthCounts;

  @Field(() => Int)
  cmdbProcessCount!: number;

  @Field(() => Int)
  paasProcessCount!: number;

  @Field(() => Int)
  paasInstanceCount!: number;

  @Field(() => [SummaryCount], { description: "PaaS instances by display state, by state." })
  instancesByState!: SummaryCount[];

  @Field(() => [SummaryCount], { description: "PaaS instances by environment name (prod, stag)." })
  instancesByEnvironment!: SummaryCount[];

  @Field(() => [HealthCountsByKey], { description: "PaaS processes per app, by code." })
  byApp!: HealthCountsByKey[];

  @Field(() => [HealthCountsByKey], {
    description: "Per business (key: bk_biz_id), by id: its CMDB processes (unknown) plus the PaaS processes of its linked apps. Businesses the caller may not see are left out.",
  })
  byBusiness!: HealthCountsByKey[];
}
