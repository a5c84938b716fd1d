import { Field, ObjectType } from "type-graphql";
import { connectionType } from "../../graphql/connection";
import { Node } from "../../graphql/node";
import { MongoAlways, MongoFields } from "../../graphql/projection";
import { PaasAppType } from "./enums";

/*
 * One file per PaaS object type (types/). Resolvers hand stored documents through: `name` maps a
 * camelCase GraphQL field to its snake_case stored property, and `@MongoFields` names what each
 * field reads, so a query projects only what its selection needs. A type declares its own values
 * only; its relations to other types are declared by their field resolvers (resolvers/<entity>.ts).
 */

@ObjectType("PaasApp", { implements: Node, description: "A bk-paas application." })
@MongoAlways("_id")
export class PaasApp {
  @Field({ description: "Application code (unique, upstream's `AppIDField` rules)." })
  @MongoFields(["code"])
  code!: string;

  @Field({ description: "Display name." })
  @MongoFields(["name"])
  name!: string;

  @Field(() => PaasAppType)
  @MongoFields(["type"])
  type!: PaasAppType;

  @Field(() => String, { nullable: true, description: "Main language, e.g. Python, Go." })
  @MongoFields(["language"])
  language?: string | null;

  @Field(() => String, { nullable: true })
  @MongoFields(["region"])
  region?: string | null;
}

export const PaasAppConnection = connectionType("PaasApp", PaasApp, {
  namespace: "Paas",
  description: "A page of applications in code order.",
  totalCountDescription: "All apps that match the filter (one count query, only when selected).",
});
