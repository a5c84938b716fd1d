import { cmdbModule } from "../cmdb/module";
import { paasModule } from "../paas/module";
import { systemModule } from "../system/module";
import type { DomainModule } from "./types";

export const modules: readonly DomainModule[] = [systemModule, cmdbModule, paasModule];
export type { DomainModule } from "./types";
