import { ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways } from "../../graphql/projection";
import { CmdbEntity } from "../collections";
import { cmdbConnection, CmdbStoredDocument, JSONObject, SafeInt } from "./common";
import { StoredField } from "../../graphql/storedField";

@ObjectType("CmdbServiceInstance", { implements: Node, description: "A bk-cmdb service instance (`cc_ServiceInstance`): processes of one module on one host." })
@MongoAlways("id", "bk_biz_id", "bk_module_id", "bk_host_id")
export class CmdbServiceInstance extends CmdbStoredDocument {
  @StoredField(() => SafeInt, { nullable: false, name: CmdbEntity.serviceInstance.keyField, description: "`id`, the service instance id." })
  id!: number;

  @StoredField(() => String, { description: "`name` as stored; never recomputed (docs/cmdb.md, \"Links and zero values\")." })
  name?: string;

  @StoredField(() => SafeInt)
  bk_biz_id?: number;

  @StoredField(() => SafeInt)
  bk_module_id?: number;

  @StoredField(() => SafeInt)
  bk_host_id?: number;

  @StoredField(() => SafeInt, { description: "`service_template_id`: 0 when not created from a template." })
  service_template_id?: number;

  @StoredField(() => JSONObject, { description: "`labels`: string keys and values." })
  labels?: Record<string, string>;

  @StoredField(() => String)
  creator?: string;

  @StoredField(() => String)
  modifier?: string;
}

export const CmdbServiceInstanceConnection = cmdbConnection("CmdbServiceInstance", CmdbServiceInstance);
