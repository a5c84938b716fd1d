import { CmdbProcessDetailsDocument, CmdbRelatedInfoIdsDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertFixture } from "../helpers/cmdbFixture";
import { nativeCall, processIds } from "../helpers/cmdbRest";

const database = useTestDatabase();
// A v3.15 multi-tenant database: every collection is `{tenant}_cc_…` and documents carry no owner scope.
const server = useTestServer(database, { CMDB_COLLECTION_PREFIX: "tenant1_" });

beforeAll(async () => {
  await insertFixture(database.db, "tenant1_");
  // Unprefixed decoys that must never be read.
  await database.db.collection("cc_Process").insertOne({ bk_process_id: 999, bk_process_name: "decoy", bk_biz_id: 2, bk_supplier_account: "0" });
  await database.db.collection("cc_ObjAttDes").insertOne({ bk_obj_id: "process", bk_property_id: "decoy_attr" });
});

describe('collection prefix (docs/cmdb.md, "Owner scope and tenant prefix")', () => {
  it("reads every collection with the prefix and adds no owner scope", async () => {
    const { result, commands } = await database.recordCommands(() => nativeCall(server, 2, { page: { limit: 10, sort: "-custom_level" } }));
    // 91 belongs to another owner: without a scope, a tenant database shows it.
    expect(processIds(result)).toEqual([45, 47, 46, 48, 91]);
    expect(result.json.data?.info[0].set).toEqual({ bk_set_id: 11, bk_set_name: "set1", bk_set_env: "3" });
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(command.collection).toMatch(/^tenant1_cc_/);
      expect(JSON.stringify(command.command.filter ?? command.command.query ?? command.command.pipeline ?? {})).not.toContain("bk_supplier_account");
    }
  });

  it("takes sortable user-defined attributes from the prefixed cc_ObjAttDes", async () => {
    const answer = await nativeCall(server, 2, { page: { limit: 10, sort: "decoy_attr" } });
    expect(answer.json).toMatchObject({ result: false, bk_error_code: 1199006, bk_error_msg: "'page.sort' data parameter verification does not pass" });
  });

  it("serves the graph and cmdbProcessRelatedInfo from the prefixed collections", async () => {
    const processes = await server.graphql(CmdbProcessDetailsDocument, { ids: [91, 999] });
    expect(processes.data?.cmdbProcesses.map((p) => p?.bkProcessId ?? null)).toEqual([91, null]);
    const related = await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 2, set: { bkSetIds: [11] }, page: { limit: 10 } });
    expect(related.data?.cmdbProcessRelatedInfo).toEqual({ count: 2, info: [{ process: { bkProcessId: 45 } }, { process: { bkProcessId: 46 } }] });
  });
});
