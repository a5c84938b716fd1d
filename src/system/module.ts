import { ensureTokenIndexes } from "../auth/tokens";
import type { DomainModule } from "../modules/types";
import { SystemResolver } from "./resolvers";

export const systemModule: DomainModule = {
  name: "system",
  resolvers: [SystemResolver],
  // The API tokens (`npm run token`), read on every authenticated request.
  ensureOwnIndexes: (db) => ensureTokenIndexes(db),
};
