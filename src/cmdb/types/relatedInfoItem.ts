import { Field, ObjectType } from "type-graphql";
import type { ProcessDoc, RelationDoc } from "../collections";
import { JSONObject } from "./common";
import { CmdbHost } from "./host";
import { CmdbModule } from "./module";
import { CmdbProcess } from "./process";
import { CmdbProcessTemplate } from "./processTemplate";
import { CmdbServiceInstance } from "./serviceInstance";
import { CmdbSet } from "./set";

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
