import { ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways } from "../../graphql/projection";
import { cmdbConnection, CmdbStoredDocument, SafeInt } from "./common";
import { StoredField } from "../../graphql/storedField";

@ObjectType("CmdbSet", { implements: Node, description: "A bk-cmdb set (cluster, `cc_SetBase`)." })
@MongoAlways("bk_set_id", "bk_biz_id")
export class CmdbSet extends CmdbStoredDocument {
  @StoredField(() => SafeInt, { nullable: false, description: "`bk_set_id`, the set id." })
  bk_set_id!: number;

  @StoredField(() => String)
  bk_set_name?: string;

  @StoredField(() => SafeInt)
  bk_biz_id?: number;

  @StoredField(() => SafeInt)
  bk_parent_id?: number;

  @StoredField(() => String, { description: '`bk_set_env`: "1" test, "2" experience, "3" production.' })
  bk_set_env?: string;

  @StoredField(() => String, { description: '`bk_service_status`: "1" open, "2" closed.' })
  bk_service_status?: string;

  @StoredField(() => SafeInt)
  set_template_id?: number;

  @StoredField(() => SafeInt)
  bk_capacity?: number;

  @StoredField(() => String)
  description?: string;

  @StoredField(() => String)
  bk_set_desc?: string;

  @StoredField(() => SafeInt, { description: "`default`: 1 for the built-in idle pool, 0 otherwise." })
  default?: number;
}

export const CmdbSetConnection = cmdbConnection("CmdbSet", CmdbSet);
