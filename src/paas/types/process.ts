import { Field, Int, ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { Process } from "../../graphql/process";
import { MongoAlways, MongoFields } from "../../graphql/projection";

@ObjectType("PaasProcess", { implements: [Node, Process], description: "The live state of one process type of a module environment." })
@MongoAlways("_id", "env_id", "type")
export class PaasProcess {
  @Field(() => String, { name: "key", description: "The stored key `{env id}/{type}`." })
  _id!: string;

  @Field({ description: "Deployment name, e.g. `example--web`." })
  @MongoFields(["name"])
  name!: string;

  @Field({ description: "Process type, e.g. `web`." })
  type!: string;

  @Field({ description: "Start command (stored for every app type; upstream gives `\"\"` for cloud-native apps)." })
  @MongoFields(["command"])
  command!: string;

  @Field(() => Int, { description: "Desired replicas (live, reflects the autoscaler)." })
  @MongoFields(["replicas"])
  replicas!: number;

  @Field(() => Int, { description: "Available replicas." })
  @MongoFields(["success"])
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
