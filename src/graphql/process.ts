import { GraphQLSafeInt } from "graphql-scalars";
import { Field, Int, InterfaceType, ObjectType, registerEnumType } from "type-graphql";
import { Node, NODE_TYPE, type TypedDocument } from "./node";

/*
 * The common view of a process, whichever model it comes from (docs/graph.md, "The Process
 * interface"). Each model's process type implements it with its own field resolvers.
 */

export enum ProcessSource {
  CMDB = "CMDB",
  PAAS = "PAAS",
}

export enum ProcessHealthStatus {
  /** PaaS: every desired replica is available (and at least one is desired). */
  HEALTHY = "HEALTHY",
  /** PaaS: fewer replicas available than desired. */
  UNHEALTHY = "UNHEALTHY",
  /** PaaS: no replica desired (scaled to zero / stopped). */
  STOPPED = "STOPPED",
  /** CMDB: bk-cmdb records what should run, not what runs: there is no live state. */
  UNKNOWN = "UNKNOWN",
}

registerEnumType(ProcessSource, { name: "ProcessSource", description: "The model a process comes from." });
registerEnumType(ProcessHealthStatus, {
  name: "ProcessHealthStatus",
  description: "PaaS: from desired vs available replicas (HEALTHY, UNHEALTHY, STOPPED). CMDB: always UNKNOWN (no live state).",
});

@ObjectType("ProcessHealth", { description: "A process's health in one word plus the replica counts behind it." })
export class ProcessHealth {
  @Field(() => ProcessHealthStatus)
  status!: ProcessHealthStatus;

  @Field(() => Int, { nullable: true, description: "Desired copies: PaaS `replicas`; CMDB `proc_num` (null when unset)." })
  desired!: number | null;

  @Field(() => Int, { nullable: true, description: "Available copies: PaaS `success`; CMDB null (unknown)." })
  available!: number | null;
}

@InterfaceType("Process", {
  implements: Node,
  description: "A process from either model, with what a dashboard shows: name, source, where it runs, health.",
  resolveType: (value: TypedDocument) => value[NODE_TYPE],
})
export abstract class Process extends Node {
  @Field({ description: "CMDB: `bk_process_name` (the alias, its display name); PaaS: the deployment name (`example--web`)." })
  name!: string;

  @Field(() => ProcessSource)
  source!: ProcessSource;

  @Field(() => [String], { description: "Where it runs. CMDB: the inner IPs of its host; PaaS: the distinct host IPs of its instances." })
  hostIps!: string[];

  @Field(() => GraphQLSafeInt, { nullable: true, description: "CMDB: its business; PaaS: the business its app is linked to (`npm run link`), if the caller may see it." })
  cmdbBusinessId!: number | null;

  @Field(() => String, { nullable: true, description: "PaaS: its app's code; CMDB: null." })
  paasAppCode!: string | null;

  @Field(() => String, { nullable: true, description: "PaaS: its module environment's key (`{app}/{module}/{env}`); CMDB: null." })
  environmentKey!: string | null;

  @Field(() => ProcessHealth)
  health!: ProcessHealth;
}
