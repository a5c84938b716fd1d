import { Field, InputType } from "type-graphql";
import { PaasAppType } from "./enums";

@InputType("PaasAppFilter", { description: "All given conditions must hold." })
export class PaasAppFilter {
  @Field(() => PaasAppType, { nullable: true })
  type?: PaasAppType | null;

  @Field(() => String, { nullable: true, description: "Exact main language, e.g. `Python`." })
  language?: string | null;

  @Field(() => String, { nullable: true, description: "Codes starting with this text." })
  codePrefix?: string | null;
}
