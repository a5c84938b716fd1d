import type { DomainModule } from "../modules/types";
import { CmdbBusinessLinkResolver, CmdbHostLinkResolver, PaasAppLinkResolver, PaasInstanceLinkResolver } from "./resolvers/links";
import { startHealthSampler } from "./providers/healthHistory";
import { HealthHistoryResolver } from "./resolvers/history";
import { NodeResolver } from "./resolvers/node";
import { ProcessSearchResolver } from "./resolvers/search";
import { CmdbBusinessSummaryResolver, DashboardSummaryResolver, PaasAppSummaryResolver } from "./resolvers/summary";
import { CmdbProcessInterfaceResolver, PaasProcessInterfaceResolver } from "./resolvers/process";
import { ensureCrossModelIndexes } from "./indexes";
import { seedCrossModelDemo } from "./seed/demo";

/** The graph over both models (docs/graph.md): Node ids, cross-links, the Process interface, summaries, health history. */
export const crossModelModule: DomainModule = {
  // "graph": the name the seeding log and `seedDemoOnce` report (kept from before the folder was named crossmodel).
  name: "graph",
  resolvers: [NodeResolver, PaasInstanceLinkResolver, CmdbHostLinkResolver, PaasAppLinkResolver, CmdbBusinessLinkResolver, CmdbProcessInterfaceResolver, PaasProcessInterfaceResolver, ProcessSearchResolver, DashboardSummaryResolver, PaasAppSummaryResolver, CmdbBusinessSummaryResolver, HealthHistoryResolver],
  seedDemo: seedCrossModelDemo,
  ensureOwnIndexes: (db) => ensureCrossModelIndexes({ db }),
  startBackground: startHealthSampler,
};
