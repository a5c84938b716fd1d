import { Field, ObjectType } from "type-graphql";
import { connectionType } from "../../graphql/connection";
import { Node } from "../../graphql/node";
import { MongoAlways, MongoFields } from "../../graphql/projection";
import { StoredField } from "../../graphql/storedField";
import { PaasAppType } from "./enums";

/*
 * One file per PaaS object type (types/). Resolvers hand stored documents through: a property is
 * named like the stored (snake_case) field and `name` gives its camelCase GraphQL name; what each
 * field reads is declared so that a query projects only what its selection needs. `@StoredField`
 * declares both for a field read straight from the document; `@Field` + `@MongoFields` remain for
 * computed fields, and for stored fields without a description (`StoredField` would give them a
 * generated one and change the published schema). A type declares its own values only; its
 * relations to other types are declared by their field resolvers (resolvers/<entity>.ts).
 */

@ObjectType("PaasApp", { implements: Node, description: "A bk-paas application." })
@MongoAlways("_id")
export class PaasApp {
  @StoredField(() => String, { nullable: false, description: "Application code (unique, upstream's `AppIDField` rules)." })
  code!: string;

  @StoredField(() => String, { nullable: false, description: "Display name." })
  name!: string;

  @Field(() => PaasAppType)
  @MongoFields(["type"])
  type!: PaasAppType;

  @StoredField(() => String, { nullable: true, description: "Main language, e.g. Python, Go." })
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
