import {
  CmdbRelatedInfoFullDocument,
  CmdbRelatedInfoIdsDocument,
  CmdbRelatedInfoProcessFieldsDocument,
  type CmdbRelatedInfoIdsQueryVariables,
} from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertFixture } from "../helpers/cmdbFixture";
import { RELATED_INFO_GRAPHQL_COMMANDS } from "../helpers/cmdbRest";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  await insertFixture(database.db);
});

const page = { limit: 10 };

async function ids(variables: Partial<CmdbRelatedInfoIdsQueryVariables>, headers?: Record<string, string>) {
  const result = await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 2, page, ...variables }, headers);
  expect(result.errors).toBeUndefined();
  return { count: result.data?.cmdbProcessRelatedInfo.count, ids: result.data?.cmdbProcessRelatedInfo.info.map((i) => i.process.bkProcessId) };
}

describe("cmdbProcessRelatedInfo (docs/cmdb.md, `cmdbProcessRelatedInfo`)", () => {
  it(`links each item to the graph's types, with null for a missing link and for template 0 (docs/cmdb.md, "Links and zero values")`, async () => {
    const result = await server.graphql(CmdbRelatedInfoFullDocument, { bkBizId: 2, page: { start: 2, limit: 2 }, fields: ["bk_func_name"] });
    expect(result.errors).toBeUndefined();
    expect(result.data?.cmdbProcessRelatedInfo).toEqual({
      count: 4,
      info: [
        {
          set: { bkSetId: 12, bkSetName: "set2", bkSetEnv: "1" },
          module: { bkModuleId: 61, bkModuleName: "mm2" },
          host: { bkHostId: 5, bkCloudId: null, bkHostInnerip: ["10.0.0.5", "10.0.0.6"], bkHostInneripV6: null, bkAddressing: null, bkAgentId: null },
          serviceInstance: { serviceInstanceId: 5, name: "custom name" },
          processTemplate: null,
          process: { bkProcessId: 47, bkProcessName: "java-app", bkFuncName: "java" },
          processDocument: { bk_func_id: "", bk_func_name: "java", bk_process_id: 47, bk_process_name: "java-app" },
        },
        {
          set: null,
          module: null,
          host: null,
          serviceInstance: null,
          processTemplate: null,
          process: { bkProcessId: 48, bkProcessName: "orphan", bkFuncName: "orphan" },
          processDocument: { bk_func_id: "", bk_func_name: "orphan", bk_process_id: 48, bk_process_name: "orphan" },
        },
      ],
    });
  });

  it("returns the template of a process created from one", async () => {
    const result = await server.graphql(CmdbRelatedInfoFullDocument, { bkBizId: 2, page: { limit: 1 } });
    expect(result.data?.cmdbProcessRelatedInfo.info[0].processTemplate).toEqual({ processTemplateId: 48, bkProcessName: "pr1" });
    expect(result.data?.cmdbProcessRelatedInfo.info[0].host?.bkHostInneripV6).toEqual(["0000:0000:0000:0000:0000:0000:0000:0001"]);
  });

  it.each<[string, Partial<CmdbRelatedInfoIdsQueryVariables>, number[]]>([
    ["set", { set: { bkSetIds: [11] } }, [45, 46]],
    ["module", { module: { bkModuleIds: [61] } }, [47]],
    ["set and module outside it", { set: { bkSetIds: [11] }, module: { bkModuleIds: [61] } }, []],
    ["service instance", { serviceInstance: { ids: [5] } }, [47]],
    ["empty lists", { set: { bkSetIds: [] }, process: { bkProcessIds: [] } }, [45, 46, 47, 48]],
    ["process names", { process: { bkProcessNames: ["pr1", "orphan"] } }, [45, 48]],
    ["process ids", { process: { bkProcessIds: [47, 46] } }, [46, 47]],
    ["property filter", { processPropertyFilter: { condition: "OR", rules: [{ field: "priority", operator: "greater", value: 1 }, { field: "user", operator: "equal", value: "root" }] } }, [45, 46, 47]],
    ["sort and page", { page: { start: 1, limit: 2, sort: "-priority" } }, [45, 47]],
  ])("maps %s onto the shared query", async (_name, variables, expected) => {
    const got = await ids(variables);
    expect(got.ids).toEqual(expected);
  });

  it('keeps the true count on a page past the end (docs/cmdb.md, "Paging and count")', async () => {
    expect(await ids({ page: { start: 10, limit: 5 } })).toEqual({ count: 4, ids: [] });
  });

  it('applies the owner scope of the request headers (docs/cmdb.md, "Owner scope and tenant prefix")', async () => {
    expect((await ids({}, { "X-Bkcmdb-Supplier-Account": "tencent" })).ids).toEqual([45, 46, 47, 48, 91]);
  });

  it.each<[string, Partial<CmdbRelatedInfoIdsQueryVariables>, number, string]>([
    ["no page", { page: null }, 1199006, "'page.limit' data parameter verification does not pass"],
    ["no limit", { page: { start: 0 } }, 1199006, "'page.limit' data parameter verification does not pass"],
    ["limit 501", { page: { limit: 501 } }, 1199006, "'page.limit' data parameter verification does not pass"],
    ["a negative start", { page: { start: -1, limit: 1 } }, 1199006, "'page.start' data parameter verification does not pass"],
    ["an unknown sort field", { page: { limit: 1, sort: "nope" } }, 1199006, "'page.sort' data parameter verification does not pass"],
    ["a bad fields entry", { fields: ["$where"] }, 1199006, "'fields' data parameter verification does not pass"],
    ["names with function ids", { process: { bkProcessNames: ["a"], bkFuncIds: ["b"] } }, 1199006, "'bk_process_names, bk_func_ids' data parameter verification does not pass"],
    ["an empty property filter", { processPropertyFilter: {} }, 1199000, "Deserializing JSON data failed"],
    [
      "a $-field in the property filter",
      { processPropertyFilter: { condition: "AND", rules: [{ field: "$where", operator: "equal", value: 1 }] } },
      1199006,
      "'invalid field: $where, process_property_filter.rules[0].field' data parameter verification does not pass",
    ],
    ["a rule without condition or operator", { processPropertyFilter: { condition: "AND", rules: [{ field: "user", value: "root" }] } }, 1199000, "Deserializing JSON data failed"],
    [
      "an invalid regex",
      { processPropertyFilter: { condition: "AND", rules: [{ field: "user", operator: "contains", value: "(" }] } },
      1199006,
      "'invalid regular expression: parsing failure (at 1), process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "a regex that backtracks catastrophically",
      { processPropertyFilter: { condition: "AND", rules: [{ field: "user", operator: "contains", value: `${".*".repeat(9)}#` }] } },
      1199006,
      "'regular expression can backtrack catastrophically: its matching time grows as the power 10 of the length of the value (ReDoS), process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "an operator object as a value",
      { processPropertyFilter: { condition: "AND", rules: [{ field: "priority", operator: "in", value: [{ $gt: 0 }] }] } },
      1199006,
      "'unknow value type with value: map[$gt:0], process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
  ])("answers %s with BAD_USER_INPUT and the upstream code (docs/cmdb.md, `cmdbProcessRelatedInfo`)", async (_name, variables, bkErrorCode, message) => {
    const result = await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 2, page, ...variables });
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ message, extensions: { code: "BAD_USER_INPUT", bkErrorCode } })]);
  });

  it("answers a regex MongoDB's engine refuses though the check accepted it as the caller's fault (BAD_USER_INPUT, 1199006)", async () => {
    // JavaScript (the check) reads `\Q` as `Q`; PCRE and Python refuse an unterminated or unknown escape differently.
    const result = await server.graphql(CmdbRelatedInfoIdsDocument, { bkBizId: 2, page, processPropertyFilter: { condition: "AND", rules: [{ field: "user", operator: "contains", value: "\\c" }] } });
    expect(result.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^'invalid regular expression \(Regular expression is invalid: .*\), process_property_filter' data parameter verification does not pass$/), extensions: { code: "BAD_USER_INPUT", bkErrorCode: 1199006 } }),
    ]);
  });

  it("projects the selection of `process` (plus its keys), not the whole document", async () => {
    const { commands } = await database.recordCommands(() => server.graphql(CmdbRelatedInfoProcessFieldsDocument, { bkBizId: 2, page }));
    const finds = commands.filter((c) => c.name === "find" && c.collection === "cc_Process");
    expect(finds.map((c) => c.command.projection)).toEqual([{ _id: 0, bind_info: 1, bk_biz_id: 1, bk_func_name: 1, bk_process_id: 1 }]);
  });

  it("adds `fields` (and the mandatory three) to the projection when processDocument is selected", async () => {
    const { commands } = await database.recordCommands(() => server.graphql(CmdbRelatedInfoFullDocument, { bkBizId: 2, page, fields: ["user"] }));
    const finds = commands.filter((c) => c.name === "find" && c.collection === "cc_Process");
    expect(finds.map((c) => c.command.projection)).toEqual([
      { _id: 0, bk_biz_id: 1, bk_func_id: 1, bk_func_name: 1, bk_process_id: 1, bk_process_name: 1, user: 1 },
    ]);
  });

  it("costs one command per collection for a page with every link", async () => {
    const { summary } = await database.recordCommands(() => server.graphql(CmdbRelatedInfoFullDocument, { bkBizId: 2, page }));
    expect([...summary].sort()).toEqual(RELATED_INFO_GRAPHQL_COMMANDS);
  });
});
