import { Field, InputType, Int } from "type-graphql";
import { SafeInt } from "./common";

/** The arguments of `cmdbProcessRelatedInfo`: the REST body's objects in camelCase (docs/cmdb.md, "`cmdbProcessRelatedInfo`"). */

@InputType("CmdbRelatedInfoSetInput")
export class CmdbRelatedInfoSetInput {
  @Field(() => [SafeInt], { nullable: true, description: "`set.bk_set_ids`: empty or null means any set." })
  bkSetIds?: number[] | null;
}

@InputType("CmdbRelatedInfoModuleInput")
export class CmdbRelatedInfoModuleInput {
  @Field(() => [SafeInt], { nullable: true, description: "`module.bk_module_ids`: empty or null means any module." })
  bkModuleIds?: number[] | null;
}

@InputType("CmdbRelatedInfoServiceInstanceInput")
export class CmdbRelatedInfoServiceInstanceInput {
  @Field(() => [SafeInt], { nullable: true, description: "`service_instance.ids`: empty or null means any service instance." })
  ids?: number[] | null;
}

@InputType("CmdbRelatedInfoProcessInput")
export class CmdbRelatedInfoProcessInput {
  @Field(() => [String], { nullable: true, description: "`process.bk_process_names`; not together with bkFuncIds." })
  bkProcessNames?: string[] | null;

  @Field(() => [String], { nullable: true, description: "`process.bk_func_ids`; not together with bkProcessNames." })
  bkFuncIds?: string[] | null;

  @Field(() => [SafeInt], { nullable: true, description: "`process.bk_process_ids`." })
  bkProcessIds?: number[] | null;
}

@InputType("CmdbRelatedInfoPageInput")
export class CmdbRelatedInfoPageInput {
  @Field(() => Int, { nullable: true, description: "Offset, ≥ 0, default 0." })
  start?: number | null;

  @Field(() => Int, { nullable: true, description: "Page size, 1..500 (required)." })
  limit?: number | null;

  @Field(() => String, { nullable: true, description: 'Upstream sort string over stored process fields, e.g. "-priority,bk_process_name"; bk_process_id breaks ties.' })
  sort?: string | null;
}
