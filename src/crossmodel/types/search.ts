import { GraphQLSafeInt } from "graphql-scalars";
import { Field, InputType, registerEnumType, type ClassType } from "type-graphql";
import { connectionType } from "../../graphql/connection";
import { Process, ProcessHealthStatus, ProcessSource } from "../../graphql/process";

@InputType("ProcessFilter", { description: "Conditions of the unified process search; all given ones must hold." })
export class ProcessFilter {
  @Field(() => String, {
    nullable: true,
    description: "The whole name, case-insensitively, with `*` for any run of characters and `?` for one (every other character is literal). At most 100 characters.",
  })
  namePattern?: string | null;

  @Field(() => String, { nullable: true, description: "Runs on this IP (IPv4, or IPv6 as stored): CMDB, its host's inner IP; PaaS, an instance's host IP." })
  hostIp?: string | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: "CMDB processes of this business and PaaS processes of the apps linked to it." })
  cmdbBusinessId?: number | null;

  @Field(() => String, { nullable: true, description: "PaaS processes of this app (CMDB processes have no app)." })
  paasAppCode?: string | null;

  @Field(() => ProcessHealthStatus, { nullable: true, description: "UNKNOWN selects the CMDB processes; the others PaaS processes." })
  health?: ProcessHealthStatus | null;

  @Field(() => ProcessSource, { nullable: true })
  source?: ProcessSource | null;
}

/** What the unified search can order by (docs/graph.md, "Unified search"). */
export enum ProcessOrderField {
  NAME = "NAME",
  HEALTH = "HEALTH",
  SOURCE = "SOURCE",
  DESIRED = "DESIRED",
  AVAILABLE = "AVAILABLE",
}

export enum SortDirection {
  ASC = "ASC",
  DESC = "DESC",
}

registerEnumType(ProcessOrderField, {
  name: "ProcessOrderField",
  description: "NAME: byte order of the name. HEALTH: UNHEALTHY, STOPPED, UNKNOWN, HEALTHY (worst first). SOURCE: CMDB, PAAS. DESIRED, AVAILABLE: replicas (CMDB: desired is proc_num, available none; none sorts first).",
});
registerEnumType(SortDirection, { name: "SortDirection" });

@InputType("ProcessOrder", { description: "The search's order: this field, then source (CMDB, PAAS), then bk_process_id or key; DESC reverses all three." })
export class ProcessOrder {
  @Field(() => ProcessOrderField)
  field!: ProcessOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

export const ProcessConnection = connectionType("Process", Process as unknown as ClassType<Process>, {
  namespace: "Process",
  description: "A page of the unified search: CMDB processes by bk_process_id, then PaaS processes by key (or in `orderBy` order).",
  totalCountDescription: "All matches in both models (two count queries, run only when selected).",
});
