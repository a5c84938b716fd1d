import { Field, ObjectType } from "type-graphql";
import { PaasApp } from "./app";
import { PaasEnvironment } from "./environment";
import { PaasInstance } from "./instance";
import { PaasModule } from "./module";
import { PaasProcess } from "./process";
import { PaasProcessPackage } from "./processPackage";

/* `paasProcessList`: the REST processes list of one module environment (docs/paas.md, "`paasProcessList`"). */

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
