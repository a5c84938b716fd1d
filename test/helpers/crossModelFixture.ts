import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Long, type Db } from "mongodb";
import { hashToken } from "../../src/auth/tokens";
import { CmdbCollection } from "../../src/cmdb/collections";
import { runLinkCommand } from "../../src/crossmodel/linkCommand";
import { insertFixture } from "./cmdbFixture";
import { writePaasFixture } from "./paasFixture";

/**
 * Both models' fixtures (test/helpers/cmdbFixture.ts, test/helpers/paasFixture.ts) plus what links them:
 * - CMDB host 6 (business 2, through service instance 6) has inner IP 10.0.0.11, the IP of the PaaS
 *   instance example/default/prod/example--web-5d8f7c9b4-abcde;
 * - CMDB host 5 (10.0.0.5, 10.0.0.6) runs the legacy-app instance (host IP 10.0.0.6);
 * - example/default/prod/example--web-5d8f7c9b4-fghij runs on 10.9.9.9, CMDB host 9 (owner "tencent", business 3);
 * - app links: example → business 2, legacy-app → business 3.
 */
export async function insertGraphFixture(db: Db): Promise<void> {
  await insertFixture(db);
  await writePaasFixture(db);
  const i64 = (n: number) => Long.fromNumber(n);
  await db.collection(CmdbCollection.host).insertOne({ bk_host_id: i64(6), bk_host_innerip: ["10.0.0.11"], bk_host_name: "host-c", bk_supplier_account: "0" });
  await db
    .collection(CmdbCollection.serviceInstance)
    .insertOne({ id: i64(6), name: "10.0.0.11_svc", bk_biz_id: i64(2), bk_module_id: i64(61), bk_host_id: i64(6), service_template_id: i64(0), bk_supplier_account: "0" });
  await db.collection("paas_instances").updateOne({ _id: "example/default/prod/example--web-5d8f7c9b4-fghij" as never }, { $set: { host_ip: "10.9.9.9" } });
  await runLinkCommand(db, ["set", "example", "2"]);
  await runLinkCommand(db, ["set", "legacy-app", "3"]);
  await db.collection("paas_instances").updateOne({ _id: "legacy-app/default/prod/bkapp-legacy-app-prod--web-84c7d6b5f-q1w2e" as never }, { $set: { host_ip: "10.0.0.6" } });
}

export const encodeId = (typename: string, key: string | number) => Buffer.from(`${typename}:${key}`).toString("base64url");

/** A TOKENS_FILE with these tokens (name → token and scope); returns its path. */
export function tokensFile(tokens: Record<string, { token: string; scope: unknown }>): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-graph-tokens-")), "tokens.json");
  fs.writeFileSync(file, JSON.stringify({ tokens: Object.entries(tokens).map(([name, { token, scope }]) => ({ name, sha256: hashToken(token), scope })) }));
  return file;
}
