import { cmdbModule } from "../cmdb/module";
import { graphModule } from "../crossmodel/module";
import { liveModule } from "../live/module";
import { paasModule } from "../paas/module";
import { systemModule } from "../system/module";
import type { DomainModule } from "./types";

export const modules: readonly DomainModule[] = [systemModule, cmdbModule, paasModule, graphModule, liveModule];
export type { DomainModule } from "./types";
