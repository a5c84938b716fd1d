import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways, MongoFields } from "../../graphql/projection";
import { StoredField } from "../../graphql/storedField";

@ObjectType("PaasTerminatedInfo", { description: "Why the first container last terminated." })
export class PaasTerminatedInfo {
  @Field(() => Int, { name: "exitCode", nullable: true })
  exit_code!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType("PaasInstance", { implements: Node, description: "One running copy (pod) of a process." })
@MongoAlways("_id", "env_id")
export class PaasInstance {
  @StoredField(() => String, { name: "key", nullable: false, description: "The stored key `{env id}/{name}`." })
  _id!: string;

  @StoredField(() => String, { nullable: false, description: "Pod name." })
  name!: string;

  @Field({ name: "processType" })
  @MongoFields(["process_type"])
  process_type!: string;

  @Field({ description: "The last `-`-separated segment of the name: computed." })
  @MongoFields(["name"])
  displayName!: string;

  @Field()
  @MongoFields(["image"])
  image!: string;

  @Field(() => GraphQLISODateTime, { name: "startTime", nullable: true })
  @MongoFields(["start_time"])
  start_time!: Date | null;

  @Field({ description: "Upstream display state: a stored `Running` that is not ready shows as `Starting`." })
  @MongoFields(["state", "ready"])
  state!: string;

  @Field(() => String, { name: "stateMessage", nullable: true })
  @MongoFields(["state_message"])
  state_message!: string | null;

  @Field({ name: "richStatus" })
  @MongoFields(["rich_status"])
  rich_status!: string;

  @Field()
  @MongoFields(["ready"])
  ready!: boolean;

  @Field(() => Int, { name: "restartCount" })
  @MongoFields(["restart_count"])
  restart_count!: number;

  @Field(() => PaasTerminatedInfo, { name: "terminatedInfo", nullable: true })
  @MongoFields(["terminated_info"])
  terminated_info!: PaasTerminatedInfo | null;

  @Field(() => Int, { description: "An integer here; the REST list gives it as a string, as upstream does." })
  @MongoFields(["version"])
  version!: number;

  @Field(() => String, { name: "hostIp", nullable: true })
  @MongoFields(["host_ip"])
  host_ip?: string | null;
}
