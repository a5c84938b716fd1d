import { Field, ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways, MongoFields } from "../../graphql/projection";
import { StoredField } from "../../graphql/storedField";
import type { PaasEnvName } from "../collections";
import { PaasEnvironmentName } from "./enums";

@ObjectType("PaasEnvironment", { implements: Node, description: "One module in one environment (`stag` or `prod`)." })
@MongoAlways("_id", "module_id")
export class PaasEnvironment {
  @StoredField(() => String, { name: "key", nullable: false, description: "The stored key `{app_code}/{module_name}/{environment}`." })
  _id!: string;

  @Field(() => PaasEnvironmentName, { name: "name" })
  @MongoFields(["environment"])
  environment!: PaasEnvName;

  @Field(() => Boolean, { name: "isOfflined", nullable: true })
  @MongoFields(["is_offlined"])
  is_offlined?: boolean;

  @Field({ description: "The processes counter (`processes.metadata.resource_version`)." })
  processResourceVersion!: string;

  @Field({ description: "The instances counter (`instances.metadata.resource_version`)." })
  instanceResourceVersion!: string;
}
