import { cmdbModule } from "../cmdb/module";
import { crossModelModule } from "../crossmodel/module";
import { liveModule } from "../live/module";
import { paasModule } from "../paas/module";
import { systemModule } from "../system/module";
import type { DomainModule } from "./types";

export const modules: readonly DomainModule[] = [systemModule, cmdbModule, paasModule, crossModelModule, liveModule];
export type { DomainModule } from "./types";
