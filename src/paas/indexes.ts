import type { Db } from "mongodb";
import { paasCollection } from "./providers/store";

/**
 * The indexes the PaaS queries rely on. Lookups by key use `_id`; each relation is read by its
 * parent key with the sort the loaders ask for.
 */
export async function ensurePaasIndexes(db: Db): Promise<void> {
  await paasCollection(db, "apps").createIndexes([{ key: { type: 1, _id: 1 }, name: "type_id" }]);
  await paasCollection(db, "modules").createIndexes([
    { key: { app_code: 1, name: 1 }, name: "app_code_name", unique: true },
    { key: { app_code: 1, is_default: 1 }, name: "app_code_is_default" },
  ]);
  await paasCollection(db, "envs").createIndexes([{ key: { module_id: 1, environment: 1 }, name: "module_id_environment", unique: true }]);
  await paasCollection(db, "specs").createIndexes([{ key: { env_id: 1, name: 1 }, name: "env_id_name", unique: true }]);
  await paasCollection(db, "processes").createIndexes([{ key: { env_id: 1, type: 1 }, name: "env_id_type", unique: true }]);
  await paasCollection(db, "instances").createIndexes([{ key: { env_id: 1, process_type: 1, name: 1 }, name: "env_id_process_type_name" },
    // The cross-link to CMDB hosts (CmdbHost.paasInstances).
    { key: { host_ip: 1, _id: 1 }, name: "host_ip_id" },
  ]);
}
