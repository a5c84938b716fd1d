import { ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { MongoAlways } from "../../graphql/projection";
import { cmdbConnection, CmdbStoredDocument, SafeInt } from "./common";
import { StoredField } from "../../graphql/storedField";

@ObjectType("CmdbHost", { implements: Node, description: "A bk-cmdb host (`cc_HostBase`). IP fields are stored as lists; IPv6 in full form." })
@MongoAlways("bk_host_id")
export class CmdbHost extends CmdbStoredDocument {
  @StoredField(() => SafeInt, { nullable: false, description: "`bk_host_id`, the host id." })
  bk_host_id!: number;

  @StoredField(() => String)
  bk_host_name?: string;

  @StoredField(() => SafeInt, { description: "`bk_cloud_id`, the cloud area (0 is the default area)." })
  bk_cloud_id?: number;

  @StoredField(() => [String])
  bk_host_innerip?: string[];

  @StoredField(() => [String])
  bk_host_outerip?: string[];

  @StoredField(() => [String])
  bk_host_innerip_v6?: string[];

  @StoredField(() => [String])
  bk_host_outerip_v6?: string[];

  @StoredField(() => String)
  bk_agent_id?: string;

  @StoredField(() => String, { description: '`bk_addressing`: "static" or "dynamic".' })
  bk_addressing?: string;

  @StoredField(() => String)
  bk_os_type?: string;

  @StoredField(() => String)
  bk_os_name?: string;

  @StoredField(() => [String])
  operator?: string[];

  @StoredField(() => [String])
  bk_bak_operator?: string[];
}

export const CmdbHostConnection = cmdbConnection("CmdbHost", CmdbHost);
