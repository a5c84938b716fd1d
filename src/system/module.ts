import type { DomainModule } from "../modules/types";
import { SystemResolver } from "./resolvers";

export const systemModule: DomainModule = {
  name: "system",
  resolvers: [SystemResolver],
};
