import type { DomainModule } from "../modules/types";
import { CmdbHostEventFieldResolver, CmdbProcessEventFieldResolver, PaasProcessEventFieldResolver, ProcessEventFieldResolver, ProcessEventResolver } from "./resolvers";

/** Live updates over both models: the Subscription type (docs/graph.md "Live updates"). */
export const liveModule: DomainModule = {
  name: "live",
  resolvers: [ProcessEventResolver, ProcessEventFieldResolver, PaasProcessEventFieldResolver, CmdbProcessEventFieldResolver, CmdbHostEventFieldResolver],
};
