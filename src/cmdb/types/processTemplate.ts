import { ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways } from "../../graphql/projection";
import { CmdbEntity } from "../collections";
import { cmdbConnection, CmdbStoredDocument, JSONObject, SafeInt } from "./common";
import { StoredField } from "../../graphql/storedField";

@ObjectType("CmdbProcessTemplate", { implements: Node, description: "A bk-cmdb process template (`cc_ProcessTemplate`) of a service template." })
@MongoAlways("id", "bk_biz_id")
export class CmdbProcessTemplate extends CmdbStoredDocument {
  @StoredField(() => SafeInt, { nullable: false, name: CmdbEntity.processTemplate.keyField, description: "`id`, the process template id." })
  id!: number;

  @StoredField(() => String)
  bk_process_name?: string;

  @StoredField(() => SafeInt)
  bk_biz_id?: number;

  @StoredField(() => SafeInt)
  service_template_id?: number;

  @StoredField(() => JSONObject, { description: "`property`: one `{value, as_default_value}` pair per process attribute." })
  property?: Record<string, unknown>;

  @StoredField(() => String)
  creator?: string;

  @StoredField(() => String)
  modifier?: string;
}

export const CmdbProcessTemplateConnection = cmdbConnection("CmdbProcessTemplate", CmdbProcessTemplate);
