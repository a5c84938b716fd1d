import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import { connectionType } from "../../graphql/connection";
import { Node } from "../../graphql/node";
import { Process } from "../../graphql/process";
import { MongoAlways, MongoFields } from "../../graphql/projection";
import type { PaasEnvName } from "../providers/documents";
import { PaasAppType, PaasEnvironmentName, PaasProcessTargetStatus } from "./enums";

/*
 * The PaaS graph. Resolvers hand stored documents through; `name` maps a camelCase GraphQL field
 * to its snake_case stored field, and `@MongoFields` names what each field reads, so a query
 * projects only what its selection needs. Relations and computed values live in ../resolvers.
 */

@ObjectType("PaasApp", { implements: Node, description: "A bk-paas application." })
@MongoAlways("_id")
export class PaasApp {
  @Field({ description: "Application code (unique, upstream's `AppIDField` rules)." })
  @MongoFields(["code"])
  code!: string;

  @Field({ description: "Display name." })
  @MongoFields(["name"])
  name!: string;

  @Field(() => PaasAppType)
  @MongoFields(["type"])
  type!: PaasAppType;

  @Field(() => String, { nullable: true, description: "Main language, e.g. Python, Go." })
  @MongoFields(["language"])
  language?: string | null;

  @Field(() => String, { nullable: true })
  @MongoFields(["region"])
  region?: string | null;

  @Field(() => [PaasModule], { description: "The app's modules, by name." })
  modules!: PaasModule[];

  @Field(() => PaasModule, { nullable: true, description: "One module by name; null when there is none." })
  module?: PaasModule | null;

  @Field(() => PaasModule, { nullable: true, description: "The default module (`is_default`)." })
  defaultModule?: PaasModule | null;
}

@ObjectType("PaasModule", { implements: Node, description: "A module of an application." })
@MongoAlways("_id", "app_code")
export class PaasModule {
  @Field(() => String, { name: "key", description: "The stored key `{app_code}/{name}`." })
  _id!: string;

  @Field()
  @MongoFields(["name"])
  name!: string;

  @Field({ name: "isDefault" })
  @MongoFields(["is_default"])
  is_default!: boolean;

  @Field(() => String, { nullable: true })
  @MongoFields(["language"])
  language?: string | null;

  @Field(() => PaasApp)
  app!: PaasApp;

  @Field(() => [PaasEnvironment], { description: "The module's environments (`prod`, then `stag`)." })
  environments!: PaasEnvironment[];

  @Field(() => PaasEnvironment, { nullable: true })
  environment?: PaasEnvironment | null;
}

@ObjectType("PaasEnvironment", { implements: Node, description: "One module in one environment (`stag` or `prod`)." })
@MongoAlways("_id", "module_id")
export class PaasEnvironment {
  @Field(() => String, { name: "key", description: "The stored key `{app_code}/{module_name}/{environment}`." })
  _id!: string;

  @Field(() => PaasEnvironmentName, { name: "name" })
  @MongoFields(["environment"])
  environment!: PaasEnvName;

  @Field(() => Boolean, { name: "isOfflined", nullable: true })
  @MongoFields(["is_offlined"])
  is_offlined?: boolean;

  @Field(() => PaasModule)
  module!: PaasModule;

  @Field(() => PaasApp)
  app!: PaasApp;

  @Field(() => [PaasProcess], { description: "Every process, including those with zero instances, by type." })
  processes!: PaasProcess[];

  @Field(() => [PaasInstance], { description: "The instances attached to the processes, by process type and name." })
  instances!: PaasInstance[];

  @Field(() => [PaasProcessPackage], { description: "Platform-side process configuration, by name." })
  processPackages!: PaasProcessPackage[];

  @Field({ description: "The processes counter (`processes.metadata.resource_version`)." })
  processResourceVersion!: string;

  @Field({ description: "The instances counter (`instances.metadata.resource_version`)." })
  instanceResourceVersion!: string;
}

@ObjectType("PaasProcess", { implements: [Node, Process], description: "The live state of one process type of a module environment." })
@MongoAlways("_id", "env_id", "type")
export class PaasProcess {
  @Field(() => String, { name: "key", description: "The stored key `{env id}/{type}`." })
  _id!: string;

  @Field({ description: "Deployment name, e.g. `example--web`." })
  @MongoFields(["name"])
  name!: string;

  @Field({ description: "Process type, e.g. `web`." })
  type!: string;

  @Field({ description: "Start command (stored for every app type; upstream gives `\"\"` for cloud-native apps)." })
  @MongoFields(["command"])
  command!: string;

  @Field(() => Int, { description: "Desired replicas (live, reflects the autoscaler)." })
  @MongoFields(["replicas"])
  replicas!: number;

  @Field(() => Int, { description: "Available replicas." })
  @MongoFields(["success"])
  success!: number;

  @Field(() => Int, { description: "max(replicas - success, 0): computed." })
  @MongoFields(["replicas", "success"])
  failed!: number;

  @Field(() => Int, { description: "Release version (default apps) or deploy id (cloud-native)." })
  @MongoFields(["version"])
  version!: number;

  @Field({ description: "`http://{service}.{namespace}`: computed by the cloud-native rule." })
  clusterLink!: string;

  @Field(() => PaasEnvironment)
  environment!: PaasEnvironment;

  @Field(() => [PaasInstance])
  @MongoFields(["version"])
  instances!: PaasInstance[];

  @Field(() => PaasProcessPackage, { nullable: true, name: "package", description: "The process package of the same name." })
  processPackage?: PaasProcessPackage | null;
}

@ObjectType("PaasTerminatedInfo", { description: "Why the first container last terminated." })
export class PaasTerminatedInfo {
  @Field(() => Int, { name: "exitCode", nullable: true })
  exit_code!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType("PaasInstance", { implements: Node, description: "One running copy (pod) of a process." })
@MongoAlways("_id", "env_id")
export class PaasInstance {
  @Field(() => String, { name: "key", description: "The stored key `{env id}/{name}`." })
  _id!: string;

  @Field({ description: "Pod name." })
  @MongoFields(["name"])
  name!: string;

  @Field({ name: "processType" })
  @MongoFields(["process_type"])
  process_type!: string;

  @Field({ description: "The last `-`-separated segment of the name: computed." })
  @MongoFields(["name"])
  displayName!: string;

  @Field()
  @MongoFields(["image"])
  image!: string;

  @Field(() => GraphQLISODateTime, { name: "startTime", nullable: true })
  @MongoFields(["start_time"])
  start_time!: Date | null;

  @Field({ description: "Upstream display state: a stored `Running` that is not ready shows as `Starting`." })
  @MongoFields(["state", "ready"])
  state!: string;

  @Field(() => String, { name: "stateMessage", nullable: true })
  @MongoFields(["state_message"])
  state_message!: string | null;

  @Field({ name: "richStatus" })
  @MongoFields(["rich_status"])
  rich_status!: string;

  @Field()
  @MongoFields(["ready"])
  ready!: boolean;

  @Field(() => Int, { name: "restartCount" })
  @MongoFields(["restart_count"])
  restart_count!: number;

  @Field(() => PaasTerminatedInfo, { name: "terminatedInfo", nullable: true })
  @MongoFields(["terminated_info"])
  terminated_info!: PaasTerminatedInfo | null;

  @Field(() => Int, { description: "An integer here; the REST list gives it as a string, as upstream does." })
  @MongoFields(["version"])
  version!: number;

  @Field(() => String, { name: "hostIp", nullable: true })
  @MongoFields(["host_ip"])
  host_ip?: string | null;

  @Field(() => PaasProcess, { nullable: true, description: "The process of the same type; null when there is none." })
  @MongoFields(["process_type"])
  process?: PaasProcess | null;

  @Field(() => PaasEnvironment)
  environment!: PaasEnvironment;
}

@ObjectType("PaasResourceQuantities", { description: "Kubernetes quantities, e.g. `4096m` / `1024Mi`." })
export class PaasResourceQuantities {
  @Field()
  cpu!: string;

  @Field()
  memory!: string;
}

@ObjectType("PaasResourceQuota", { description: "Limits as numbers: CPU in millicores, memory in MiB." })
export class PaasResourceQuota {
  @Field(() => Int)
  cpu!: number;

  @Field(() => Int)
  memory!: number;
}

@ObjectType("PaasScalingConfig")
export class PaasScalingConfig {
  @Field(() => Int, { name: "minReplicas" })
  min_replicas!: number;

  @Field(() => Int, { name: "maxReplicas" })
  max_replicas!: number;

  @Field()
  policy!: string;
}

@ObjectType("PaasProcessPackage", { implements: Node, description: "The platform-side configuration of one process type." })
@MongoAlways("_id", "env_id", "name")
export class PaasProcessPackage {
  @Field(() => String, { name: "key", description: "The stored key (`{env id}/{name}`)." })
  _id!: string;

  @Field()
  name!: string;

  @Field(() => Int, { name: "targetReplicas" })
  @MongoFields(["target_replicas"])
  target_replicas!: number;

  @Field(() => PaasProcessTargetStatus, { description: "Cloud-native apps: STOP iff targetReplicas is 0 (computed); others: stored." })
  @MongoFields(["target_replicas", "target_status"])
  targetStatus!: PaasProcessTargetStatus;

  @Field(() => Int, { name: "maxReplicas" })
  @MongoFields(["max_replicas"])
  max_replicas!: number;

  @Field(() => PaasResourceQuantities, { name: "resourceLimit" })
  @MongoFields(["resource_limit"])
  resource_limit!: PaasResourceQuantities;

  @Field(() => PaasResourceQuantities, { name: "resourceRequests" })
  @MongoFields(["resource_requests"])
  resource_requests!: PaasResourceQuantities;

  @Field({ name: "planName" })
  @MongoFields(["plan_name"])
  plan_name!: string;

  @Field(() => PaasResourceQuota, { description: "Computed from resourceLimit." })
  @MongoFields(["resource_limit"])
  resourceLimitQuota!: PaasResourceQuota;

  @Field()
  @MongoFields(["autoscaling"])
  autoscaling!: boolean;

  @Field(() => PaasScalingConfig, { name: "scalingConfig", nullable: true })
  @MongoFields(["scaling_config"])
  scaling_config?: PaasScalingConfig | null;

  @Field(() => PaasEnvironment)
  environment!: PaasEnvironment;

  @Field(() => PaasProcess, { nullable: true })
  process?: PaasProcess | null;
}

@ObjectType("PaasListMetadata")
export class PaasListMetadata {
  @Field({ description: "The per-environment counter of this kind, as a decimal string." })
  resourceVersion!: string;
}

@ObjectType("PaasProcessExtraInfo", { description: "Deprecated upstream: the same data as the process items." })
export class PaasProcessExtraInfo {
  @Field()
  type!: string;

  @Field()
  command!: string;

  @Field()
  clusterLink!: string;
}

@ObjectType("PaasProcessListProcesses")
export class PaasProcessListProcesses {
  @Field(() => [PaasProcess])
  items!: PaasProcess[];

  @Field(() => [PaasProcessExtraInfo])
  extraInfos!: PaasProcessExtraInfo[];

  @Field(() => PaasListMetadata)
  metadata!: PaasListMetadata;
}

@ObjectType("PaasProcessListInstances")
export class PaasProcessListInstances {
  @Field(() => [PaasInstance])
  items!: PaasInstance[];

  @Field(() => PaasListMetadata)
  metadata!: PaasListMetadata;
}

@ObjectType("PaasProcessList", { description: "The REST processes list of one module environment, as a graph." })
export class PaasProcessList {
  @Field(() => PaasApp)
  app!: PaasApp;

  @Field(() => PaasModule)
  module!: PaasModule;

  @Field(() => PaasEnvironment)
  environment!: PaasEnvironment;

  @Field(() => PaasProcessListProcesses)
  processes!: PaasProcessListProcesses;

  @Field(() => PaasProcessListInstances)
  instances!: PaasProcessListInstances;

  @Field(() => [PaasProcessPackage])
  processPackages!: PaasProcessPackage[];
}

export const PaasAppConnection = connectionType("PaasApp", PaasApp, {
  namespace: "Paas",
  description: "A page of applications in code order.",
  totalCountDescription: "All apps that match the filter (one count query, only when selected).",
});
