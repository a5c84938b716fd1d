import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertFixture } from "../helpers/cmdbFixture";
import { nativeCall, processIds, RELATED_INFO_COMMANDS } from "../helpers/cmdbRest";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  await insertFixture(database.db);
});

const PAGE = { start: 0, limit: 10 };
const rule = (field: string, operator: string, value?: unknown) => ({ field, operator, value });
const and = (...rules: unknown[]) => ({ condition: "AND", rules });
const or = (...rules: unknown[]) => ({ condition: "OR", rules });

async function ids(body: Record<string, unknown>, headers: Record<string, string> = {}, bizId = 2) {
  const answer = await nativeCall(server, bizId, { page: PAGE, ...body }, headers);
  return { ids: processIds(answer), count: answer.json.data?.count };
}

describe('filters, alone and combined (docs/cmdb.md, "Filters", "Query steps")', () => {
  it.each<[string, Record<string, unknown>, number[]]>([
    ["no filter: every process of the business, with and without a relation row", {}, [45, 46, 47, 48]],
    ["a set", { set: { bk_set_ids: [11] } }, [45, 46]],
    ["another set", { set: { bk_set_ids: [12] } }, [47]],
    ["a set whose modules have no service instance", { set: { bk_set_ids: [13] } }, []],
    ["an unknown set (step A empty)", { set: { bk_set_ids: [999] } }, []],
    ["a module", { module: { bk_module_ids: [61] } }, [47]],
    ["a set and a module inside it", { set: { bk_set_ids: [11, 12] }, module: { bk_module_ids: [61] } }, [47]],
    ["a set and a module outside it: the intersection is empty", { set: { bk_set_ids: [11] }, module: { bk_module_ids: [61] } }, []],
    ["a service instance", { service_instance: { ids: [4] } }, [45, 46]],
    ["a service instance AND a module it is not in", { service_instance: { ids: [4] }, module: { bk_module_ids: [61] } }, []],
    ["empty lists mean any", { set: { bk_set_ids: [] }, module: { bk_module_ids: [] }, service_instance: { ids: [] }, process: { bk_process_names: [], bk_func_ids: [], bk_process_ids: [] } }, [45, 46, 47, 48]],
    ["null lists mean any", { set: { bk_set_ids: null }, module: null, process: { bk_process_ids: null } }, [45, 46, 47, 48]],
    ["process names", { process: { bk_process_names: ["pr1", "java-app"] } }, [45, 47]],
    ["function ids (absent from current data)", { process: { bk_func_ids: ["pr1"] } }, []],
    ["process ids", { process: { bk_process_ids: [48, 45, 1000] } }, [45, 48]],
    ["flat keys", { bk_process_ids: [46, 47], bk_set_ids: [11] }, [46]],
    ["process names AND a set", { process: { bk_process_names: ["pr1", "java-app"] }, set: { bk_set_ids: [12] } }, [47]],
    ["process ids AND a service instance", { process: { bk_process_ids: [45, 47] }, service_instance: { ids: [4] } }, [45]],
    ["property filter: equal", { process_property_filter: and(rule("bk_process_name", "equal", "pr1")) }, [45]],
    ["property filter: in [] matches nothing, unlike an empty list", { process_property_filter: and(rule("bk_process_id", "in", [])) }, []],
    ["property filter: in", { process_property_filter: and(rule("bk_process_id", "in", [46, 48])) }, [46, 48]],
    ["property filter: not_in", { process_property_filter: and(rule("priority", "not_in", [1])) }, [46]],
    ["property filter: not_equal", { process_property_filter: and(rule("user", "not_equal", "root")) }, [46, 48]],
    ["property filter: contains is case-insensitive", { process_property_filter: and(rule("bk_process_name", "contains", "PR")) }, [45, 46]],
    ["property filter: a quadratic regex is accepted", { process_property_filter: and(rule("bk_process_name", "contains", "P.*\\d$")) }, [45, 46]],
    ["property filter: not_contains is case-sensitive", { process_property_filter: and(rule("bk_process_name", "not_contains", "PR")) }, [45, 46, 47, 48]],
    ["property filter: begins_with", { process_property_filter: and(rule("bk_process_name", "begins_with", "alias")) }, [46]],
    ["property filter: not_begins_with", { process_property_filter: and(rule("bk_process_name", "not_begins_with", "pr")) }, [46, 47, 48]],
    ["property filter: ends_with", { process_property_filter: and(rule("bk_process_name", "ends_with", "app")) }, [47]],
    ["property filter: not_ends_with", { process_property_filter: and(rule("bk_process_name", "not_ends_with", "app")) }, [45, 46, 48]],
    ["property filter: greater", { process_property_filter: and(rule("priority", "greater", 1)) }, [46]],
    ["property filter: less_or_equal", { process_property_filter: and(rule("priority", "less_or_equal", 1)) }, [45, 47, 48]],
    ["property filter: less and greater_or_equal", { process_property_filter: and(rule("timeout", "less", 60), rule("timeout", "greater_or_equal", 30)) }, [45, 46]],
    ["property filter: datetime_greater", { process_property_filter: and(rule("create_time", "datetime_greater", "2026-11-21T12:00:00Z")) }, [45, 46]],
    ["property filter: datetime_less_or_equal", { process_property_filter: and(rule("create_time", "datetime_less_or_equal", "2026-11-21T00:00:00Z")) }, [47, 48]],
    ["property filter: is_empty", { process_property_filter: and(rule("bind_info", "is_empty")) }, [46]],
    ["property filter: is_not_empty", { process_property_filter: and(rule("bind_info", "is_not_empty")) }, [45, 47, 48]],
    ["property filter: is_null (null or missing)", { process_property_filter: and(rule("bk_updated_at", "is_null")) }, [45, 46, 47, 48]],
    ["property filter: is_not_null", { process_property_filter: and(rule("bk_created_at", "is_not_null")) }, [46]],
    ["property filter: exist", { process_property_filter: and(rule("custom_level", "exist")) }, [45, 46, 47]],
    ["property filter: not_exist", { process_property_filter: and(rule("custom_level", "not_exist")) }, [48]],
    ["property filter: OR", { process_property_filter: or(rule("priority", "equal", 5), rule("bk_process_name", "equal", "orphan")) }, [46, 48]],
    ["property filter: depth 3", { process_property_filter: and(rule("priority", "equal", 1), or(rule("user", "equal", "root"), rule("bk_process_name", "equal", "orphan"))) }, [45, 47, 48]],
    ["property filter: a dotted field", { process_property_filter: and(rule("bind_info.port", "equal", "3333")) }, [45]],
    [
      "property filter AND process lists AND a module",
      { process_property_filter: and(rule("priority", "equal", 1)), process: { bk_process_names: ["pr1", "java-app", "orphan"] }, module: { bk_module_ids: [60, 61] } },
      [45, 47],
    ],
    ["an operator-looking string is a plain value", { process_property_filter: and(rule("bk_process_name", "equal", "$gt")), process: { bk_process_names: ["$ne"] } }, []],
  ])("%s", async (_name, body, expected) => {
    const { ids: got, count } = await ids(body);
    expect(got).toEqual(expected);
    expect(count).toBe(expected.length);
  });

  it("answers a regex MongoDB's engine refuses (though the check accepts it) with 1199006: the caller's input, not a failed read", async () => {
    const answer = await nativeCall(server, 2, { page: PAGE, process_property_filter: and(rule("bk_process_name", "contains", "\\c")) });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ result: false, bk_error_code: 1199006, bk_error_msg: expect.stringMatching(/^'invalid regular expression \(Regular expression is invalid: .*\), process_property_filter' data parameter verification does not pass$/), permission: null, data: null });
  });
});

describe('sorting (docs/cmdb.md, "Sorting")', () => {
  it.each<[string, number[]]>([
    ["", [45, 46, 47, 48]],
    ["bk_process_id", [45, 46, 47, 48]],
    ["-bk_process_id", [48, 47, 46, 45]],
    ["bk_process_id:-1", [48, 47, 46, 45]],
    ["priority", [45, 47, 48, 46]],
    ["-priority", [46, 45, 47, 48]],
    ["priority:-1", [46, 45, 47, 48]],
    ["bk_process_name", [46, 47, 48, 45]],
    [" timeout:-1 , bk_process_name ", [47, 46, 45, 48]],
    ["+priority, -bk_process_id", [48, 47, 45, 46]],
    ["-custom_level", [45, 47, 46, 48]],
  ])("sort %j", async (sort, expected) => {
    const answer = await nativeCall(server, 2, { page: { limit: 10, sort } });
    expect(processIds(answer)).toEqual(expected);
  });

  it("appends bk_process_id as the tie-breaker, unless the sort names it", async () => {
    const { commands } = await database.recordCommands(() => nativeCall(server, 2, { page: { limit: 10, sort: "-priority,user" } }));
    const find = commands.find((c) => c.name === "find" && c.collection === "cc_Process");
    // The driver sends the sort as an ordered map: the order of the keys is the order of the sort.
    expect([...(find?.command.sort as Map<string, number>)]).toEqual([["priority", -1], ["user", 1], ["bk_process_id", 1]]);
    const { commands: named } = await database.recordCommands(() => nativeCall(server, 2, { page: { limit: 10, sort: "-bk_process_id,priority" } }));
    expect([...(named.find((c) => c.name === "find" && c.collection === "cc_Process")?.command.sort as Map<string, number>)]).toEqual([["bk_process_id", -1], ["priority", 1]]);
  });
});

describe('paging and count (docs/cmdb.md, "Paging and count")', () => {
  it.each<[number, number, number[]]>([
    [0, 2, [45, 46]],
    [2, 2, [47, 48]],
    [3, 2, [48]],
    [4, 2, []],
    [100, 500, []],
    [0, 500, [45, 46, 47, 48]],
  ])("start %d limit %d", async (start, limit, expected) => {
    const answer = await nativeCall(server, 2, { page: { start, limit } });
    expect(processIds(answer)).toEqual(expected);
    // The total, independent of the page, also past the end (upstream says 0 there).
    expect(answer.json.data?.count).toBe(4);
  });

  it("sends skip and limit to MongoDB", async () => {
    const { commands } = await database.recordCommands(() => nativeCall(server, 2, { page: { start: 1, limit: 2 } }));
    const find = commands.find((c) => c.name === "find" && c.collection === "cc_Process");
    expect(find?.command).toMatchObject({ skip: 1, limit: 2 });
  });
});

describe('projection (docs/cmdb.md, "Projection")', () => {
  async function processFind(fields: unknown) {
    const { result, commands } = await database.recordCommands(() => nativeCall(server, 2, { fields, page: PAGE }));
    const finds = commands.filter((c) => c.name === "find" && c.collection === "cc_Process");
    expect(finds).toHaveLength(1);
    return { answer: result, projection: finds[0].command.projection };
  }

  it("projects fields plus the three mandatory fields", async () => {
    const { answer, projection } = await processFind(["bk_func_name", "bind_info.port"]);
    expect(projection).toEqual({ _id: 0, "bind_info.port": 1, bk_func_id: 1, bk_func_name: 1, bk_process_id: 1, bk_process_name: 1 });
    expect(answer.json.data?.info[0].process).toEqual({ bind_info: [{ port: "3333" }], bk_func_id: "", bk_func_name: "pr1", bk_process_id: 45, bk_process_name: "pr1" });
    // bk_process_name and bk_func_id are there when fields names neither.
    expect(Object.keys(answer.json.data?.info[1].process ?? {})).toEqual(["bind_info", "bk_func_id", "bk_func_name", "bk_process_id", "bk_process_name"]);
  });

  it("reads the time source for a backfilled time field", async () => {
    const { projection } = await processFind(["bk_created_at"]);
    expect(projection).toEqual({ _id: 0, bk_created_at: 1, bk_func_id: 1, bk_process_id: 1, bk_process_name: 1, create_time: 1 });
  });

  it.each([[[]], [null]])("reads whole documents for fields %j", async (fields) => {
    const { answer, projection } = await processFind(fields);
    expect(projection).toEqual({ _id: 0 });
    expect(answer.json.data?.info[3].process).toEqual({
      bk_biz_id: 2,
      bk_created_at: "2026-11-21T00:00:00.000Z",
      bk_func_id: "",
      bk_func_name: "orphan",
      bk_process_id: 48,
      bk_process_name: "orphan",
      bk_supplier_account: "0",
      bk_updated_at: "2026-11-21T00:00:00.000Z",
      create_time: "2026-11-21T00:00:00.000Z",
      last_time: "2026-11-21T00:00:00.000Z",
      priority: 1,
    });
  });

  it("leaves out a valid name that no document carries", async () => {
    const { answer } = await processFind(["no_such_attribute"]);
    expect(answer.json.data?.info[0].process).toEqual({ bk_func_id: "", bk_process_id: 45, bk_process_name: "pr1" });
  });
});

describe('owner scope (docs/cmdb.md, "Owner scope and tenant prefix")', () => {
  it.each<[Record<string, string>, number[]]>([
    [{}, [45, 46, 47, 48]],
    [{ "X-Bkcmdb-Supplier-Account": "0" }, [45, 46, 47, 48]],
    [{ "X-Bkcmdb-Supplier-Account": "tencent" }, [45, 46, 47, 48, 91]],
    [{ "X-Bkapi-Supplier-Account": "tencent" }, [45, 46, 47, 48, 91]],
    [{ HTTP_BK_SUPPLIER_ACCOUNT: "tencent" }, [45, 46, 47, 48, 91]],
    [{ HTTP_BLUEKING_SUPPLIER_ID: "superadmin" }, [45, 46, 47, 48, 91]],
    [{ "X-Bkcmdb-Supplier-Account": "other" }, [45, 46, 47, 48]],
  ])("headers %j", async (headers, expected) => {
    expect((await ids({}, headers)).ids).toEqual(expected);
  });

  it("sees another owner's business with its own header, and nothing of it with owner 0", async () => {
    const answer = await nativeCall(server, 3, { page: PAGE }, { "X-Bkcmdb-Supplier-Account": "tencent" });
    expect(answer.json.data?.info).toEqual([
      {
        set: { bk_set_id: 21, bk_set_name: "tenant set", bk_set_env: "2" },
        module: { bk_module_id: 71, bk_module_name: "tenant module" },
        host: { bk_host_id: 9, bk_cloud_id: 1, bk_host_innerip: "10.9.9.9", bk_host_innerip_v6: "", bk_addressing: "", bk_agent_id: "" },
        service_instance: { id: 8, name: "10.9.9.9_t1" },
        process_template: { id: 0 },
        process: expect.objectContaining({ bk_process_id: 90 }),
      },
    ]);
    expect((await ids({}, {}, 3)).ids).toEqual([]);
  });

  it('scopes steps A, D, F, G, H and I but not B, C and E (docs/cmdb.md, "Query steps")', async () => {
    const { commands } = await database.recordCommands(() => nativeCall(server, 2, { set: { bk_set_ids: [11] }, page: PAGE }, { "X-Bkcmdb-Supplier-Account": "tencent" }));
    const scope = { $in: ["0", "tencent"] };
    const scoped = (c: (typeof commands)[number]) => JSON.stringify(c.command.query ?? c.command.filter ?? c.command.pipeline).includes('"bk_supplier_account"');
    expect(commands.map((c) => [`${c.name}:${c.collection}`, scoped(c)])).toEqual(
      expect.arrayContaining([
        ["find:cc_ModuleBase", true],
        ["distinct:cc_ServiceInstance", false],
        ["distinct:cc_ProcessInstanceRelation", false],
        ["find:cc_Process", true],
        ["aggregate:cc_Process", true],
        ["find:cc_ProcessInstanceRelation", false],
        ["find:cc_ServiceInstance", true],
        ["find:cc_HostBase", true],
        ["find:cc_SetBase", true],
      ]),
    );
    expect(commands.filter((c) => c.collection === "cc_ModuleBase")).toHaveLength(2);
    expect(commands.filter((c) => c.collection === "cc_ModuleBase").every(scoped)).toBe(true);
    expect(commands.find((c) => c.name === "find" && c.collection === "cc_Process")?.command.filter).toEqual({
      bk_biz_id: 2,
      bk_process_id: { $in: [45, 46] },
      bk_supplier_account: scope,
    });
  });
});

describe("round trips", () => {
  it("costs 7 commands without a set, module or service-instance filter, and 3 more with one", async () => {
    const plain = await database.recordCommands(() => nativeCall(server, 2, { page: PAGE }));
    expect([...plain.summary].sort()).toEqual(RELATED_INFO_COMMANDS);
    const filtered = await database.recordCommands(() => nativeCall(server, 2, { set: { bk_set_ids: [11, 12] }, page: PAGE }));
    // Steps A (modules of the sets), B and C (distinct service instances and processes) come first.
    expect([...filtered.summary].sort()).toEqual([...RELATED_INFO_COMMANDS, "distinct:cc_ProcessInstanceRelation", "distinct:cc_ServiceInstance", "find:cc_ModuleBase"].sort());
  });

  it("stops after step D when the page is empty", async () => {
    const { summary } = await database.recordCommands(() => nativeCall(server, 2, { page: { start: 50, limit: 10 } }));
    expect([...summary].sort()).toEqual(["aggregate:cc_Process", "find:cc_Process"]);
  });
});
