import { ipv6FullForm, parseRule, ruleDepth, ruleToMongo, validateFilter } from "../../src/cmdb/providers/propertyFilter";

const atom = (field: string, operator: string, value?: unknown) => ({ condition: "AND", rules: [{ field, operator, value }] });
const mongo = (raw: unknown) => {
  const rule = parseRule(raw);
  validateFilter(rule);
  return ruleToMongo(rule);
};

describe('process_property_filter → MongoDB (docs/cmdb.md, "Filters")', () => {
  it.each<[string, unknown, unknown]>([
    ["equal", "a", { x: { $eq: "a" } }],
    ["not_equal", 1, { x: { $ne: 1 } }],
    ["in", [1, 2], { x: { $in: [1, 2] } }],
    ["not_in", ["a"], { x: { $nin: ["a"] } }],
    ["less", 1, { x: { $lt: 1 } }],
    ["less_or_equal", 1, { x: { $lte: 1 } }],
    ["greater", 1.5, { x: { $gt: 1.5 } }],
    ["greater_or_equal", 0, { x: { $gte: 0 } }],
    ["datetime_less", "2026-11-22T08:00:00Z", { x: { $lt: new Date("2026-11-22T08:00:00Z") } }],
    ["datetime_greater_or_equal", "2026-11-22", { x: { $gte: "2026-11-22" } }],
    ["begins_with", "ng", { x: { $regex: "^ng" } }],
    ["not_begins_with", "ng", { x: { $not: { $regex: "^ng" } } }],
    ["contains", "In", { x: { $regex: "In", $options: "i" } }],
    ["not_contains", "In", { x: { $not: { $regex: "In" } } }],
    ["ends_with", "x", { x: { $regex: "x$" } }],
    ["not_ends_with", "x", { x: { $not: { $regex: "x$" } } }],
    ["is_empty", { $gt: 1 }, { x: { $eq: [] } }],
    ["is_not_empty", undefined, { x: { $ne: [] } }],
    ["is_null", undefined, { x: { $eq: null } }],
    ["is_not_null", undefined, { x: { $ne: null } }],
    ["exist", { $where: "1" }, { x: { $exists: true } }],
    ["not_exist", undefined, { x: { $exists: false } }],
  ])("%s", (operator, value, expected) => {
    expect(mongo(atom("x", operator, value))).toEqual({ $and: [expected] });
  });

  it("maps OR groups and nests them", () => {
    expect(mongo({ condition: "OR", rules: [{ field: "a", operator: "equal", value: 1 }, { condition: "AND", rules: [{ field: "b", operator: "exist" }] }] })).toEqual({
      $or: [{ a: { $eq: 1 } }, { $and: [{ b: { $exists: true } }] }],
    });
  });

  it("writes IPv6 values of the host IPv6 fields in full form for equal and in", () => {
    expect(mongo(atom("bk_host_innerip_v6", "equal", "1::1"))).toEqual({ $and: [{ bk_host_innerip_v6: { $eq: "0001:0000:0000:0000:0000:0000:0000:0001" } }] });
    expect(mongo(atom("bk_host_outerip_v6", "in", ["::1", "fe80::a:B"]))).toEqual({
      $and: [{ bk_host_outerip_v6: { $in: ["0000:0000:0000:0000:0000:0000:0000:0001", "fe80:0000:0000:0000:0000:0000:000a:000b"] } }],
    });
    expect(mongo(atom("other", "equal", "1::1"))).toEqual({ $and: [{ other: { $eq: "1::1" } }] });
  });

  it("leaves strings that are not IPv6 addresses alone", () => {
    expect(ipv6FullForm("10.0.0.1")).toBe("10.0.0.1");
    expect(ipv6FullForm("1::2::3")).toBe("1::2::3");
    expect(ipv6FullForm("0:0:0:0:0:0:0:1")).toBe("0000:0000:0000:0000:0000:0000:0000:0001");
  });

  it("counts depth as upstream: an atom is 1, a group 1 + its deepest child", () => {
    expect(ruleDepth(parseRule({ field: "a", operator: "exist" }))).toBe(1);
    expect(ruleDepth(parseRule({ condition: "AND", rules: [] }))).toBe(2);
    expect(ruleDepth(parseRule({ condition: "AND", rules: [{ condition: "OR", rules: [{ field: "a", operator: "exist" }] }] }))).toBe(3);
  });

  it("never lets a $-key through: operators come from the table, fields cannot start with $", () => {
    for (const raw of [atom("$where", "equal", 1), atom("a", "$gt", 1), atom("a", "equal", { $gt: 1 }), atom("a", "in", [{ $gt: 1 }])]) {
      expect(() => mongo(raw)).toThrow(expect.objectContaining({ code: 1199006 }));
    }
  });
});
