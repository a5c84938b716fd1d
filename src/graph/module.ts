import type { DomainModule } from "../modules/types";
import { NodeResolver } from "./resolvers/node";

/** The graph over both models (issue 5; docs/graph.md): Node ids, cross-links, the Process interface, summaries. */
export const graphModule: DomainModule = {
  name: "graph",
  resolvers: [NodeResolver],
};
