import { ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways } from "../../graphql/projection";
import { cmdbConnection, CmdbStoredDocument, SafeInt } from "./common";
import { StoredField } from "../../graphql/storedField";

@ObjectType("CmdbBusiness", { implements: Node, description: "A bk-cmdb business (`cc_ApplicationBase`)." })
@MongoAlways("bk_biz_id")
export class CmdbBusiness extends CmdbStoredDocument {
  @StoredField(() => SafeInt, { nullable: false, description: "`bk_biz_id`, the business id." })
  bk_biz_id!: number;

  @StoredField(() => String)
  bk_biz_name?: string;

  @StoredField(() => SafeInt, { description: "`default`: 1 for the resource pool, 0 for a normal business." })
  default?: number;

  @StoredField(() => String, { description: "`life_cycle`: 1 testing, 2 online, 3 stopped." })
  life_cycle?: string;

  @StoredField(() => String)
  bk_biz_maintainer?: string;

  @StoredField(() => String)
  bk_biz_productor?: string;

  @StoredField(() => String)
  bk_biz_developer?: string;

  @StoredField(() => String)
  bk_biz_tester?: string;

  @StoredField(() => String)
  operator?: string;

  @StoredField(() => String)
  time_zone?: string;

  @StoredField(() => String)
  language?: string;
}

export const CmdbBusinessConnection = cmdbConnection("CmdbBusiness", CmdbBusiness);
