import { Field, Int, ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { Process } from "../../graphql/process";
import { MongoAlways, MongoFields } from "../../graphql/projection";
import { StoredField } from "../../graphql/storedField";

@ObjectType("PaasProcess", { implements: [Node, Process], description: "The live state of one process type of a module environment." })
@MongoAlways("_id", "env_id", "type")
export class PaasProcess {
  @StoredField(() => String, { name: "key", nullable: false, description: "The stored key `{env id}/{type}`." })
  _id!: string;

  @StoredField(() => String, { nullable: false, description: "Deployment name, e.g. `example--web`." })
  name!: string;

  @StoredField(() => String, { nullable: false, description: "Process type, e.g. `web`." })
  type!: string;

  @StoredField(() => String, { nullable: false, description: "Start command (stored for every app type; upstream gives `\"\"` for cloud-native apps)." })
  command!: string;

  @StoredField(() => Int, { nullable: false, description: "Desired replicas (live, reflects the autoscaler)." })
  replicas!: number;

  @StoredField(() => Int, { nullable: false, description: "Available replicas." })
  success!: number;

  @Field(() => Int, { description: "max(replicas - success, 0): computed." })
  @MongoFields(["replicas", "success"])
  failed!: number;

  @Field(() => Int, { description: "Release version (default apps) or deploy id (cloud-native)." })
  @MongoFields(["version"])
  version!: number;

  @Field({ description: "`http://{service}.{namespace}`: computed by the cloud-native rule." })
  clusterLink!: string;
}
