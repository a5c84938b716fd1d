import { Field, ObjectType } from "type-graphql";
import { Node } from "../../graphql/node";
import { Process } from "../../graphql/process";
import { MongoAlways } from "../../graphql/projection";
import { cmdbConnection, CmdbStoredDocument, SafeInt } from "./common";
import { StoredField } from "../../graphql/storedField";

@ObjectType("CmdbBindInfo", { description: "One `bind_info` row of a process: the resolved address it listens on." })
export class CmdbBindInfo {
  @Field(() => String, { nullable: true, description: "`ip`: the resolved address (not the template's enum)." })
  ip?: string;

  @Field(() => String, { nullable: true, description: '`port`: a port or a range such as "8080-8089".' })
  port?: string;

  @Field(() => String, { nullable: true, description: '`protocol`: "1" TCP, "2" UDP, "3" TCP6, "4" UDP6.' })
  protocol?: string;

  @Field(() => Boolean, { nullable: true, description: "`enable`." })
  enable?: boolean;

  @Field(() => SafeInt, { nullable: true, name: "templateRowId", description: "`template_row_id`: the template row this row came from." })
  template_row_id?: number;
}

@ObjectType("CmdbProcess", { implements: [Node, Process], description: "A bk-cmdb process instance (`cc_Process`) with every standard attribute." })
@MongoAlways("bk_process_id", "bk_biz_id")
export class CmdbProcess extends CmdbStoredDocument {
  @StoredField(() => SafeInt, { nullable: false, description: "`bk_process_id`, the process id." })
  bk_process_id!: number;

  @StoredField(() => SafeInt)
  bk_biz_id?: number;

  @StoredField(() => SafeInt, { description: "`service_instance_id`: a copy of the relation's service instance (since v3.10)." })
  service_instance_id?: number;

  @StoredField(() => String, { description: "`bk_process_name`: the process *alias*, its display name." })
  bk_process_name?: string;

  @StoredField(() => String, { description: "`bk_func_name`: the process *name*, i.e. the binary (e.g. java)." })
  bk_func_name?: string;

  @StoredField(() => String)
  description?: string;

  @StoredField(() => String, { description: "`bk_start_param_regex`: the start-argument match rule." })
  bk_start_param_regex?: string;

  @StoredField(() => String)
  work_path?: string;

  @StoredField(() => String, { description: "`user`: the start user." })
  user?: string;

  @StoredField(() => SafeInt)
  proc_num?: number;

  @StoredField(() => SafeInt)
  priority?: number;

  @StoredField(() => SafeInt, { description: "`timeout`: operation timeout in seconds." })
  timeout?: number;

  @StoredField(() => SafeInt, { description: "`bk_start_check_secs`: start wait time in seconds." })
  bk_start_check_secs?: number;

  @StoredField(() => String)
  start_cmd?: string;

  @StoredField(() => String)
  stop_cmd?: string;

  @StoredField(() => String)
  restart_cmd?: string;

  @StoredField(() => String, { description: "`face_stop_cmd`: the forced stop command (upstream's spelling)." })
  face_stop_cmd?: string;

  @StoredField(() => String)
  reload_cmd?: string;

  @StoredField(() => String)
  pid_file?: string;

  @StoredField(() => Boolean, { description: "`auto_start`: restart automatically." })
  auto_start?: boolean;

  @StoredField(() => [CmdbBindInfo], { description: "`bind_info`: the addresses the process listens on." })
  bind_info?: CmdbBindInfo[];

  @StoredField(() => String)
  bk_created_by?: string;

  @StoredField(() => String)
  bk_updated_by?: string;
}

export const CmdbProcessConnection = cmdbConnection("CmdbProcess", CmdbProcess);
