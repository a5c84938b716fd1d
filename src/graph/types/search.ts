import { GraphQLSafeInt } from "graphql-scalars";
import { Field, InputType, Int, ObjectType } from "type-graphql";
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

@ObjectType("ProcessPageInfo")
export class ProcessPageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page; null on an empty page." })
  endCursor!: string | null;
}

@ObjectType("ProcessEdge")
export class ProcessEdge {
  @Field()
  cursor!: string;

  @Field(() => Process)
  node!: Process;
}

@ObjectType("ProcessConnection", { description: "A page of the unified search: CMDB processes by bk_process_id, then PaaS processes by key." })
export class ProcessConnection {
  @Field(() => [Process])
  nodes!: Process[];

  @Field(() => [ProcessEdge])
  edges!: ProcessEdge[];

  @Field(() => ProcessPageInfo)
  pageInfo!: ProcessPageInfo;

  @Field(() => Int, { description: "All matches in both models (two count queries, run only when selected)." })
  totalCount!: number;
}
