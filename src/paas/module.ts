import type { DomainModule } from "../modules/types";

/** bk-paas v3's process model, in procgraph's own collections (issue 4). */
export const paasModule: DomainModule = {
  name: "paas",
  resolvers: [],
};
