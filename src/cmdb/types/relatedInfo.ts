import { Field, InputType, Int, ObjectType } from "type-graphql";
import type { ProcessDoc, RelationDoc } from "../collections";
import { JSONObject, SafeInt } from "./common";
import { CmdbHost } from "./host";
import { CmdbModule } from "./module";
import { CmdbProcess } from "./process";
import { CmdbProcessTemplate } from "./processTemplate";
import { CmdbServiceInstance } from "./serviceInstance";
import { CmdbSet } from "./set";

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

/** What an item resolves from: the business, the process document and its relation row. */
export interface RelatedInfoItemValue {
  bizId: number;
  fields: string[];
  process: ProcessDoc;
  relation: RelationDoc | null;
}

@ObjectType("CmdbProcessRelatedInfoItem", { description: "One process with its set, module, host, service instance and template; a missing link is null." })
export class CmdbProcessRelatedInfoItem {
  @Field(() => CmdbSet, { nullable: true })
  set?: CmdbSet;

  @Field(() => CmdbModule, { nullable: true })
  module?: CmdbModule;

  @Field(() => CmdbHost, { nullable: true })
  host?: CmdbHost;

  @Field(() => CmdbServiceInstance, { nullable: true })
  serviceInstance?: CmdbServiceInstance;

  @Field(() => CmdbProcessTemplate, { nullable: true, description: "Null when the process was not created from a template (process_template_id 0)." })
  processTemplate?: CmdbProcessTemplate;

  @Field(() => CmdbProcess)
  process!: CmdbProcess;

  @Field(() => JSONObject, { description: "The REST `process` object: the stored document limited by `fields`, with bk_process_id, bk_process_name and bk_func_id." })
  processDocument!: Record<string, unknown>;
}

@ObjectType("CmdbProcessRelatedInfo", { description: "A page of list_process_related_info." })
export class CmdbProcessRelatedInfo {
  @Field(() => SafeInt, { description: "All matching processes, independent of the page (also past the end)." })
  count!: number;

  @Field(() => [CmdbProcessRelatedInfoItem])
  info!: CmdbProcessRelatedInfoItem[];
}
