import { Field, ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways, MongoFields } from "../../graphql/projection";
import { StoredField } from "../../graphql/storedField";

@ObjectType("PaasModule", { implements: Node, description: "A module of an application." })
@MongoAlways("_id", "app_code")
export class PaasModule {
  @StoredField(() => String, { name: "key", nullable: false, description: "The stored key `{app_code}/{name}`." })
  _id!: string;

  @Field()
  @MongoFields(["name"])
  name!: string;

  @Field({ name: "isDefault" })
  @MongoFields(["is_default"])
  is_default!: boolean;

  @Field(() => String, { nullable: true })
  @MongoFields(["language"])
  language?: string | null;
}
