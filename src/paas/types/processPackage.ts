import { Field, Int, ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways, MongoFields } from "../../graphql/projection";
import { StoredField } from "../../graphql/storedField";
import { PaasProcessTargetStatus } from "./enums";

@ObjectType("PaasResourceQuantities", { description: "Kubernetes quantities, e.g. `4096m` / `1024Mi`." })
export class PaasResourceQuantities {
  @Field()
  cpu!: string;

  @Field()
  memory!: string;
}

@ObjectType("PaasResourceQuota", { description: "Limits as numbers: CPU in millicores, memory in MiB." })
export class PaasResourceQuota {
  @Field(() => Int)
  cpu!: number;

  @Field(() => Int)
  memory!: number;
}

@ObjectType("PaasScalingConfig")
export class PaasScalingConfig {
  @Field(() => Int, { name: "minReplicas" })
  min_replicas!: number;

  @Field(() => Int, { name: "maxReplicas" })
  max_replicas!: number;

  @Field()
  policy!: string;
}

@ObjectType("PaasProcessPackage", { implements: Node, description: "The platform-side configuration of one process type." })
@MongoAlways("_id", "env_id", "name")
export class PaasProcessPackage {
  @StoredField(() => String, { name: "key", nullable: false, description: "The stored key (`{env id}/{name}`)." })
  _id!: string;

  @Field()
  name!: string;

  @Field(() => Int, { name: "targetReplicas" })
  @MongoFields(["target_replicas"])
  target_replicas!: number;

  @Field(() => PaasProcessTargetStatus, { description: "Cloud-native apps: STOP iff targetReplicas is 0 (computed); others: stored." })
  @MongoFields(["target_replicas", "target_status"])
  targetStatus!: PaasProcessTargetStatus;

  @Field(() => Int, { name: "maxReplicas" })
  @MongoFields(["max_replicas"])
  max_replicas!: number;

  @Field(() => PaasResourceQuantities, { name: "resourceLimit" })
  @MongoFields(["resource_limit"])
  resource_limit!: PaasResourceQuantities;

  @Field(() => PaasResourceQuantities, { name: "resourceRequests" })
  @MongoFields(["resource_requests"])
  resource_requests!: PaasResourceQuantities;

  @Field({ name: "planName" })
  @MongoFields(["plan_name"])
  plan_name!: string;

  @Field(() => PaasResourceQuota, { description: "Computed from resourceLimit." })
  @MongoFields(["resource_limit"])
  resourceLimitQuota!: PaasResourceQuota;

  @Field()
  @MongoFields(["autoscaling"])
  autoscaling!: boolean;

  @Field(() => PaasScalingConfig, { name: "scalingConfig", nullable: true })
  @MongoFields(["scaling_config"])
  scaling_config?: PaasScalingConfig | null;
}
