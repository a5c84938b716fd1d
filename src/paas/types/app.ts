import { Field, Int, ObjectType } from "type-graphql";
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

@ObjectType("PaasPageInfo")
export class PaasPageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page." })
  endCursor!: string | null;
}

@ObjectType("PaasAppEdge")
export class PaasAppEdge {
  @Field()
  cursor!: string;

  @Field(() => PaasApp)
  node!: PaasApp;
}

@ObjectType("PaasAppConnection", { description: "A page of applications in code order." })
export class PaasAppConnection {
  @Field(() => [PaasAppEdge])
  edges!: PaasAppEdge[];

  @Field(() => [PaasApp])
  nodes!: PaasApp[];

  @Field(() => PaasPageInfo)
  pageInfo!: PaasPageInfo;

  @Field(() => Int, { description: "All apps that match the filter (one count query, only when selected)." })
  totalCount!: number;
}
