import type { DomainModule } from "../modules/types";
import { ensurePaasIndexes } from "./indexes";
import { paasNodeTypes } from "./nodes";
import { PaasAppResolver } from "./resolvers/app";
import { PaasEnvironmentResolver } from "./resolvers/environment";
import { PaasInstanceResolver } from "./resolvers/instance";
import { PaasModuleResolver } from "./resolvers/module";
import { PaasProcessResolver } from "./resolvers/process";
import { PaasProcessPackageResolver } from "./resolvers/processPackage";
import { PaasQueryResolver } from "./resolvers/query";
import { paasRestRouter, sendPaasError } from "./rest/router";
import { paasSeedCommand, seedPaasDemo } from "./seed/command";

/** bk-paas v3's process model, in procgraph's own collections (docs/paas.md). */
export const paasModule: DomainModule = {
  name: "paas",
  resolvers: [
    PaasQueryResolver,
    PaasAppResolver,
    PaasModuleResolver,
    PaasEnvironmentResolver,
    PaasProcessResolver,
    PaasInstanceResolver,
    PaasProcessPackageResolver,
  ],
  nodeTypes: paasNodeTypes,
  restRouter: paasRestRouter,
  restPrefixes: ["/api/bkapps/"],
  // bk-paas answers errors as {code, detail}.
  restError: (res, refusal) => sendPaasError(res, refusal.status, refusal.code, refusal.message),
  seedDemo: seedPaasDemo,
  seedCommand: paasSeedCommand,
  ensureOwnIndexes: (db) => ensurePaasIndexes(db),
};
