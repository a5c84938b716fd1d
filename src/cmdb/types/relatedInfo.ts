import { Field, ObjectType } from "type-graphql";
import { SafeInt } from "./common";
import { CmdbProcessRelatedInfoItem } from "./relatedInfoItem";

@ObjectType("CmdbProcessRelatedInfo", { description: "A page of list_process_related_info." })
export class CmdbProcessRelatedInfo {
  @Field(() => SafeInt, { description: "All matching processes, independent of the page (also past the end)." })
  count!: number;

  @Field(() => [CmdbProcessRelatedInfoItem])
  info!: CmdbProcessRelatedInfoItem[];
}
