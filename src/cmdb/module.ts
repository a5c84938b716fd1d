import type { DomainModule } from "../modules/types";
import { cmdbRestRouter } from "./rest/router";

/** bk-cmdb's process model, read from bk-cmdb's own collections (issue 3). */
export const cmdbModule: DomainModule = {
  name: "cmdb",
  resolvers: [],
  restRouter: cmdbRestRouter,
};
