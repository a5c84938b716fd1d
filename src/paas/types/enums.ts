import { registerEnumType } from "type-graphql";

/** Values are the stored strings, so a resolver hands documents through unchanged. */
export enum PaasEnvironmentName {
  STAG = "stag",
  PROD = "prod",
}

export enum PaasAppType {
  DEFAULT = "default",
  ENGINELESS_APP = "engineless_app",
  CLOUD_NATIVE = "cloud_native",
}

export enum PaasProcessTargetStatus {
  START = "start",
  STOP = "stop",
}

registerEnumType(PaasEnvironmentName, {
  name: "PaasEnvironmentName",
  description: "A module environment of bk-paas: `stag` (pre-release) or `prod` (production).",
});
registerEnumType(PaasAppType, { name: "PaasAppType", description: "bk-paas application type." });
registerEnumType(PaasProcessTargetStatus, { name: "PaasProcessTargetStatus", description: "What the platform wants a process to be: started or stopped." });
