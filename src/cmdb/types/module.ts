import { ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways } from "../../graphql/projection";
import { cmdbConnection, CmdbStoredDocument, SafeInt } from "./common";
import { StoredField } from "../../graphql/storedField";

@ObjectType("CmdbModule", { implements: Node, description: "A bk-cmdb module (`cc_ModuleBase`)." })
@MongoAlways("bk_module_id", "bk_set_id", "bk_biz_id")
export class CmdbModule extends CmdbStoredDocument {
  @StoredField(() => SafeInt, { nullable: false, description: "`bk_module_id`, the module id." })
  bk_module_id!: number;

  @StoredField(() => String, { description: "`bk_module_name`, as stored (built-in names are not translated)." })
  bk_module_name?: string;

  @StoredField(() => SafeInt)
  bk_set_id?: number;

  @StoredField(() => SafeInt)
  bk_biz_id?: number;

  @StoredField(() => SafeInt)
  bk_parent_id?: number;

  @StoredField(() => SafeInt)
  service_template_id?: number;

  @StoredField(() => SafeInt)
  service_category_id?: number;

  @StoredField(() => SafeInt)
  set_template_id?: number;

  @StoredField(() => SafeInt, { description: "`default`: 0 normal, 1 idle, 2 fault, 3 recycle, 4/5 self-defined built-ins." })
  default?: number;

  @StoredField(() => String)
  bk_module_type?: string;

  @StoredField(() => String)
  operator?: string;

  @StoredField(() => String)
  bk_bak_operator?: string;

  @StoredField(() => Boolean)
  host_apply_enabled?: boolean;
}

export const CmdbModuleConnection = cmdbConnection("CmdbModule", CmdbModule);
