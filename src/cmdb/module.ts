import type { DomainModule } from "../modules/types";
import { CmdbBusinessResolver } from "./resolvers/business";
import { CmdbHostResolver } from "./resolvers/host";
import { CmdbModuleResolver } from "./resolvers/module";
import { CmdbProcessResolver } from "./resolvers/process";
import { CmdbProcessTemplateResolver } from "./resolvers/processTemplate";
import { CmdbProcessRelatedInfoResolver } from "./resolvers/relatedInfo";
import { CmdbServiceInstanceResolver } from "./resolvers/serviceInstance";
import { CmdbSetResolver } from "./resolvers/set";
import { CMDB_REST_BODY_LIMIT, CMDB_REST_PREFIXES, cmdbRestRefusal, cmdbRestRouter } from "./rest/router";
import { ensureCmdbIndexes } from "./indexes";
import { cmdbNodeTypes } from "./nodes";
import { cmdbSeedCommand, seedCmdbDemo } from "./seed/command";

/** bk-cmdb's process model, read from bk-cmdb's own collections (docs/cmdb.md). */
export const cmdbModule: DomainModule = {
  name: "cmdb",
  resolvers: [
    CmdbBusinessResolver,
    CmdbSetResolver,
    CmdbModuleResolver,
    CmdbServiceInstanceResolver,
    CmdbProcessResolver,
    CmdbHostResolver,
    CmdbProcessTemplateResolver,
    CmdbProcessRelatedInfoResolver,
  ],
  nodeTypes: cmdbNodeTypes,
  restRouter: cmdbRestRouter,
  restPrefixes: CMDB_REST_PREFIXES,
  restBodyLimit: CMDB_REST_BODY_LIMIT,
  restError: cmdbRestRefusal,
  seedDemo: seedCmdbDemo,
  seedCommand: cmdbSeedCommand,
  ensureSeededIndexes: async (db, deps) => {
    await ensureCmdbIndexes(db, deps.config.cmdbCollectionPrefix);
  },
};
