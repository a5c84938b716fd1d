import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertFixture } from "../helpers/cmdbFixture";
import { esbCall, nativeCall } from "../helpers/cmdbRest";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  await insertFixture(database.db);
});

const PAGE = { start: 0, limit: 10 };

describe('list_process_related_info envelopes, byte for byte (docs/cmdb.md, "Envelopes", "Links and zero values")', () => {
  it("answers the native endpoint with the native envelope, zero-valued joins and the three mandatory fields", async () => {
    const answer = await nativeCall(server, 2, { fields: ["bk_func_name"], page: PAGE });
    expect(answer.status).toBe(200);
    const host4 =
      '{"bk_host_id":4,"bk_cloud_id":0,"bk_host_innerip":"192.168.15.22","bk_host_innerip_v6":"0000:0000:0000:0000:0000:0000:0000:0001","bk_addressing":"dynamic","bk_agent_id":"020000000052540012345601"}';
    const set11 = '{"bk_set_id":11,"bk_set_name":"set1","bk_set_env":"3"}';
    const module60 = '{"bk_module_id":60,"bk_module_name":"mm1"}';
    const svc4 = '{"id":4,"name":"192.168.15.22_pr1_3333"}';
    expect(answer.text).toBe(
      '{"result":true,"bk_error_code":0,"bk_error_msg":"success","permission":null,"data":{"count":4,"info":[' +
        `{"set":${set11},"module":${module60},"host":${host4},"service_instance":${svc4},"process_template":{"id":48},` +
        '"process":{"bk_func_id":"","bk_func_name":"pr1","bk_process_id":45,"bk_process_name":"pr1"}},' +
        `{"set":${set11},"module":${module60},"host":${host4},"service_instance":${svc4},"process_template":{"id":49},` +
        '"process":{"bk_func_id":"","bk_func_name":"pr2","bk_process_id":46,"bk_process_name":"alias_pr2"}},' +
        '{"set":{"bk_set_id":12,"bk_set_name":"set2","bk_set_env":"1"},"module":{"bk_module_id":61,"bk_module_name":"mm2"},' +
        '"host":{"bk_host_id":5,"bk_cloud_id":0,"bk_host_innerip":"10.0.0.5,10.0.0.6","bk_host_innerip_v6":"","bk_addressing":"","bk_agent_id":""},' +
        '"service_instance":{"id":5,"name":"custom name"},"process_template":{"id":0},' +
        '"process":{"bk_func_id":"","bk_func_name":"java","bk_process_id":47,"bk_process_name":"java-app"}},' +
        '{"set":{"bk_set_id":0,"bk_set_name":"","bk_set_env":""},"module":{"bk_module_id":0,"bk_module_name":""},' +
        '"host":{"bk_host_id":0,"bk_cloud_id":0,"bk_host_innerip":"","bk_host_innerip_v6":"","bk_addressing":"","bk_agent_id":""},' +
        '"service_instance":{"id":0,"name":""},"process_template":{"id":0},' +
        '"process":{"bk_func_id":"","bk_func_name":"orphan","bk_process_id":48,"bk_process_name":"orphan"}}' +
        "]}}",
    );
  });

  it("answers the ESB endpoint with the ESB envelope and the whole stored process, time fields backfilled", async () => {
    const answer = await esbCall(server, { bk_biz_id: 2, bk_app_code: "gsekit", process: { bk_process_ids: [46] }, page: { limit: 1 } });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(
      '{"result":true,"code":0,"message":"success","data":{"count":1,"info":[{' +
        '"set":{"bk_set_id":11,"bk_set_name":"set1","bk_set_env":"3"},"module":{"bk_module_id":60,"bk_module_name":"mm1"},' +
        '"host":{"bk_host_id":4,"bk_cloud_id":0,"bk_host_innerip":"192.168.15.22","bk_host_innerip_v6":"0000:0000:0000:0000:0000:0000:0000:0001","bk_addressing":"dynamic","bk_agent_id":"020000000052540012345601"},' +
        '"service_instance":{"id":4,"name":"192.168.15.22_pr1_3333"},"process_template":{"id":49},' +
        '"process":{"auto_start":true,"bind_info":[],"bk_biz_id":2,"bk_created_at":"2026-11-01T00:00:00.000Z","bk_func_id":"","bk_func_name":"pr2",' +
        '"bk_process_id":46,"bk_process_name":"alias_pr2","bk_supplier_account":"0","bk_updated_at":"2026-11-23T10:30:00.000Z",' +
        '"create_time":"2026-11-22T08:00:00.000Z","custom_level":1,"last_time":"2026-11-23T10:30:00.000Z","priority":5,"proc_num":2,' +
        '"service_instance_id":4,"timeout":30,"user":"nobody","work_path":"/data/pr2"}}]}}',
    );
  });

  it("answers errors in both envelopes with HTTP 200", async () => {
    const native = await nativeCall(server, 2, { page: { limit: 501 } });
    expect(native.status).toBe(200);
    expect(native.text).toBe('{"result":false,"bk_error_code":1199006,"bk_error_msg":"\'page.limit\' data parameter verification does not pass","permission":null,"data":null}');
    const esb = await esbCall(server, { page: { limit: 1 } });
    expect(esb.status).toBe(200);
    expect(esb.text).toBe('{"result":false,"code":1199011,"message":"\'bk_biz_id\' the parameter is invalid or does not exist","data":null}');
  });

  it('reads bk_created_at without create_time for the backfill, then drops create_time (docs/cmdb.md, "Projection")', async () => {
    const answer = await nativeCall(server, 2, { fields: ["bk_created_at", "bk_updated_at", "last_time"], process: { bk_process_ids: [45] }, page: PAGE });
    expect(answer.json.data?.info[0].process).toEqual({
      bk_created_at: "2026-11-22T08:00:00.000Z",
      bk_func_id: "",
      bk_process_id: 45,
      bk_process_name: "pr1",
      bk_updated_at: "2026-11-22T09:00:00.000Z",
      last_time: "2026-11-22T09:00:00.000Z",
    });
  });
});

const LIMIT_MSG = "'page.limit' data parameter verification does not pass";

describe('validation, in the documented order (docs/cmdb.md, "Validation order")', () => {
  const cases: Array<[string, string | number, unknown, number, string]> = [
    ["a path bk_biz_id that is not an integer", "abc", { page: PAGE }, 1199011, "'bk_biz_id' the parameter is invalid or does not exist"],
    ["a path bk_biz_id that is a decimal", "2.5", { page: PAGE }, 1199011, "'bk_biz_id' the parameter is invalid or does not exist"],
    ["bk_biz_id checked before the body", "x", "{not json", 1199011, "'bk_biz_id' the parameter is invalid or does not exist"],
    ["malformed JSON", 2, "{not json", 1199000, "Deserializing JSON data failed"],
    ["a body that is an array", 2, "[1]", 1199000, "Deserializing JSON data failed"],
    ["a string inside bk_set_ids", 2, { set: { bk_set_ids: ["11"] }, page: PAGE }, 1199000, "Deserializing JSON data failed"],
    ["a fraction inside bk_process_ids", 2, { process: { bk_process_ids: [1.5] }, page: PAGE }, 1199000, "Deserializing JSON data failed"],
    ["an operator object inside a list", 2, { process: { bk_process_names: [{ $gt: "" }] }, page: PAGE }, 1199000, "Deserializing JSON data failed"],
    ["set that is not an object", 2, { set: [11], page: PAGE }, 1199000, "Deserializing JSON data failed"],
    ["page.limit that is a string", 2, { page: { limit: "10" } }, 1199000, "Deserializing JSON data failed"],
    ["page.sort that is a number", 2, { page: { limit: 1, sort: 1 } }, 1199000, "Deserializing JSON data failed"],
    ["process_property_filter {}", 2, { process_property_filter: {}, page: PAGE }, 1199000, "Deserializing JSON data failed"],
    ["a filter that is neither a group nor an atom", 2, { process_property_filter: { rules: [] }, page: PAGE }, 1199000, "Deserializing JSON data failed"],
    ["a rule that is not an object", 2, { process_property_filter: { condition: "AND", rules: ["x"] }, page: PAGE }, 1199000, "Deserializing JSON data failed"],
    // As upstream's decoder: a rule is an object with `operator` (not `field`).
    ["a rule without condition or operator", 2, { process_property_filter: { condition: "AND", rules: [{ field: "user", value: "root" }] }, page: PAGE }, 1199000, "Deserializing JSON data failed"],
    [
      "a rule with an operator but no field (decoded, then invalid)",
      2,
      { process_property_filter: { condition: "AND", rules: [{ operator: "exist" }] }, page: PAGE },
      1199006,
      "'invalid field: , process_property_filter.rules[0].field' data parameter verification does not pass",
    ],
    ["a key both flat and nested", 2, { bk_set_ids: [11], set: { bk_set_ids: [12] }, page: PAGE }, 1199006, "'bk_set_ids' data parameter verification does not pass"],
    ["[] flat and nested counts as given twice", 2, { ids: [], service_instance: { ids: [] }, page: PAGE }, 1199006, "'ids' data parameter verification does not pass"],
    [
      "an atom at the top of the filter",
      2,
      { process_property_filter: { field: "bk_process_name", operator: "equal", value: "pr1" }, page: PAGE },
      1199006,
      "'query filter must be combined rules, process_property_filter' data parameter verification does not pass",
    ],
    [
      "a filter deeper than 3",
      2,
      { process_property_filter: { condition: "AND", rules: [{ condition: "OR", rules: [{ condition: "AND", rules: [{ field: "a", operator: "exist" }] }] }] }, page: PAGE },
      1199006,
      "'exceed max query condition deepth: 3, process_property_filter.rules' data parameter verification does not pass",
    ],
    [
      "an unknown condition",
      2,
      { process_property_filter: { condition: "XOR", rules: [{ field: "a", operator: "exist" }] }, page: PAGE },
      1199006,
      "'unexpected condition: XOR, process_property_filter.condition' data parameter verification does not pass",
    ],
    ["empty rules", 2, { process_property_filter: { condition: "AND", rules: [] }, page: PAGE }, 1199006, "'combined rules shouldn't be empty, process_property_filter.rules' data parameter verification does not pass"],
    [
      "an unknown operator",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "a", operator: "$where", value: "1" }] }, page: PAGE },
      1199006,
      "'unsupported operator: $where, process_property_filter.rules[0].operator' data parameter verification does not pass",
    ],
    [
      "a field starting with $",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "$where", operator: "equal", value: "1" }] }, page: PAGE },
      1199006,
      "'invalid field: $where, process_property_filter.rules[0].field' data parameter verification does not pass",
    ],
    [
      "an object value",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "priority", operator: "equal", value: { $gt: 0 } }] }, page: PAGE },
      1199006,
      "'unknow value type with value: map[$gt:0], process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "an operator object inside an in list",
      2,
      { process_property_filter: { condition: "OR", rules: [{ field: "a", operator: "exist" }, { field: "bk_process_name", operator: "in", value: [{ $gt: "" }] }] }, page: PAGE },
      1199006,
      "'unknow value type with value: map[$gt:], process_property_filter.rules[1].value' data parameter verification does not pass",
    ],
    [
      "mixed element types in an in list",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "priority", operator: "in", value: [1, "2"] }] }, page: PAGE },
      1199006,
      "'slice element type not unique, types: [numeric string], process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "a string for a numeric comparison",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "priority", operator: "greater", value: "1" }] }, page: PAGE },
      1199006,
      "'unknow value type: string, value: 1, process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "an empty string for contains",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "user", operator: "contains", value: "" }] }, page: PAGE },
      1199006,
      "'value shouldn't be empty, process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "more than 20 rules in a group",
      2,
      { process_property_filter: { condition: "OR", rules: Array.from({ length: 21 }, (_, i) => ({ field: "bk_process_id", operator: "equal", value: i })) }, page: PAGE },
      1199006,
      "'too many rules of OR condition: 21 max(20), process_property_filter.rules' data parameter verification does not pass",
    ],
    [
      "a regex value longer than 256 characters",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "user", operator: "begins_with", value: "r".repeat(257) }] }, page: PAGE },
      1199006,
      "'regular expression longer than 256 characters, process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "an invalid regex (the caller's input, not a failed read)",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "user", operator: "contains", value: "(" }] }, page: PAGE },
      1199006,
      "'invalid regular expression: parsing failure (at 1), process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "a regex that backtracks catastrophically, before MongoDB sees it",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "bk_func_name", operator: "exist" }, { field: "user", operator: "contains", value: `${".*".repeat(9)}#` }] }, page: PAGE },
      1199006,
      "'regular expression can backtrack catastrophically: its matching time grows as the power 10 of the length of the value (ReDoS), process_property_filter.rules[1].value' data parameter verification does not pass",
    ],
    [
      "an exponential regex in not_ends_with",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "user", operator: "not_ends_with", value: "(a+)+" }] }, page: PAGE },
      1199006,
      "'regular expression can backtrack catastrophically: its matching time grows exponentially the length of the value (ReDoS), process_property_filter.rules[0].value' data parameter verification does not pass",
    ],
    [
      "a nested fault names its path",
      2,
      { process_property_filter: { condition: "AND", rules: [{ field: "a", operator: "exist" }, { condition: "OR", rules: [{ field: "b", operator: "in", value: "x" }] }] }, page: PAGE },
      1199006,
      "'unexpected value type: string, expect array, process_property_filter.rules[1].rules[0].value' data parameter verification does not pass",
    ],
    ["names and function ids together", 2, { process: { bk_process_names: ["a"], bk_func_ids: ["b"] }, page: PAGE }, 1199006, "'bk_process_names, bk_func_ids' data parameter verification does not pass"],
    ["names flat and function ids nested", 2, { bk_process_names: ["a"], process: { bk_func_ids: ["b"] }, page: PAGE }, 1199006, "'bk_process_names, bk_func_ids' data parameter verification does not pass"],
    ["a fields entry starting with $", 2, { fields: ["bk_process_id", "$where"], page: PAGE }, 1199006, "'fields' data parameter verification does not pass"],
    ["a fields entry with a space", 2, { fields: ["a b"], page: PAGE }, 1199006, "'fields' data parameter verification does not pass"],
    ["no page", 2, {}, 1199006, LIMIT_MSG],
    ["an empty body", 2, "", 1199006, LIMIT_MSG],
    ["page without limit", 2, { page: { start: 0 } }, 1199006, LIMIT_MSG],
    ["limit 0", 2, { page: { limit: 0 } }, 1199006, LIMIT_MSG],
    ["a negative limit", 2, { page: { limit: -1 } }, 1199006, LIMIT_MSG],
    ["limit 501", 2, { page: { limit: 501 } }, 1199006, LIMIT_MSG],
    ["upstream's no-limit 999999999", 2, { page: { limit: 999999999 } }, 1199006, LIMIT_MSG],
    ["a negative start", 2, { page: { start: -1, limit: 10 } }, 1199006, "'page.start' data parameter verification does not pass"],
    ["a sort on an unknown field", 2, { page: { limit: 10, sort: "no_such_field" } }, 1199006, "'page.sort' data parameter verification does not pass"],
    ["a sort on a field of another object", 2, { page: { limit: 10, sort: "host_only" } }, 1199006, "'page.sort' data parameter verification does not pass"],
    ["a sort with a bad direction", 2, { page: { limit: 10, sort: "priority:2" } }, 1199006, "'page.sort' data parameter verification does not pass"],
    ["a sort on $natural", 2, { page: { limit: 10, sort: "$natural" } }, 1199006, "'page.sort' data parameter verification does not pass"],
    ["the page check comes before the sort check", 2, { page: { limit: 0, sort: "nope" } }, 1199006, LIMIT_MSG],
    ["the fields check comes before the page check", 2, { fields: ["$x"] }, 1199006, "'fields' data parameter verification does not pass"],
  ];

  it.each(cases)("%s", async (_name, bizId, body, code, message) => {
    const answer = await nativeCall(server, bizId, body);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ result: false, bk_error_code: code, bk_error_msg: message, permission: null, data: null });
  });

  it.each([
    ["a missing bk_biz_id", { page: PAGE }, 1199011],
    ["a string bk_biz_id", { bk_biz_id: "2", page: PAGE }, 1199011],
    ["a fractional bk_biz_id", { bk_biz_id: 2.5, page: PAGE }, 1199011],
    ["malformed JSON", "{", 1199000],
    ["no page", { bk_biz_id: 2 }, 1199006],
  ])("ESB: %s gives %s", async (_name, body, code) => {
    const answer = await esbCall(server, body);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ result: false, code, data: null });
  });

  it("answers a body it cannot read (unsupported charset) in the envelope, not with the generic handler", async () => {
    const response = await server.request("/api/v3/findmany/proc/process_related_info/biz/2", {
      method: "POST",
      headers: { "content-type": "application/json; charset=klingon" },
      body: JSON.stringify({ page: PAGE }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: false, bk_error_code: 1199000, bk_error_msg: "Deserializing JSON data failed", permission: null, data: null });
  });

  it("ignores a bk_biz_id in the native body, and unknown keys", async () => {
    const answer = await nativeCall(server, 2, { bk_biz_id: 3, whatever: { $where: "1" }, page: PAGE });
    expect(answer.json.data?.count).toBe(4);
  });

  it("accepts a sort on a user-defined attribute declared in cc_ObjAttDes", async () => {
    const answer = await nativeCall(server, 2, { page: { limit: 10, sort: "-custom_level" } });
    expect(answer.json.result).toBe(true);
  });
});
