import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { prng } from "../../src/seed/random";

/*
 * Thousands of generated malformed requests (GraphQL documents, variables, REST bodies and query
 * strings) against every endpoint: none may answer 5xx or show a stack trace, and the server must
 * still answer a normal query afterwards. The generator is seeded: a failure replays exactly.
 */
const database = useTestDatabase();
const server = useTestServer(database, { LIMIT_MAX_ALIASES: "60" });

const random = prng(20261124);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (max: number) => Math.floor(random() * max);

const NASTY_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  2 ** 53 + 2,
  -(2 ** 63),
  "",
  "$where",
  "'; db.dropDatabase(); '",
  "a".repeat(5_000),
  "\u0000\uffff\ud800",
  { $gt: "" },
  { $where: "sleep(1000)" },
  { $ne: null, $regex: ".*" },
  ["$in", { $exists: true }],
  Array.from({ length: 5_000 }, (_, i) => i),
  Array.from({ length: 50 }, () => ({ $gt: 0 })),
  [[[[[[[[[[[]]]]]]]]]]],
  { a: { b: { c: { d: { e: { f: { g: {} } } } } } } },
];

const FIELD_NAMES = ["bk_process_id", "$where", "$gt", "bk_process_name.$", "a.b.c", "", " ", "..", "x".repeat(300), "__proto__", "constructor"];
const OPERATORS = ["equal", "in", "not_in", "contains", "begins_with", "datetime_less", "is_empty", "$where", "", "exists", 42];

function nastyRule(depth: number): unknown {
  if (depth > 5 || random() < 0.4) return { field: pick(FIELD_NAMES), operator: pick(OPERATORS), value: pick(NASTY_VALUES) };
  return { condition: pick(["AND", "OR", "XOR", "", 1]), rules: random() < 0.1 ? [] : Array.from({ length: 1 + int(3) }, () => nastyRule(depth + 1)) };
}

function nastyCmdbBody(): string {
  const shapes: Array<() => unknown> = [
    () => ({ bk_biz_id: pick(NASTY_VALUES), page: { start: pick(NASTY_VALUES), limit: pick(NASTY_VALUES), sort: pick([...FIELD_NAMES, "-bk_process_id,,", ":1", "a:2"]) } }),
    () => ({ bk_biz_id: 2, set: { bk_set_ids: pick(NASTY_VALUES) }, module: { bk_module_ids: pick(NASTY_VALUES) }, page: { limit: 10 } }),
    () => ({ bk_biz_id: 2, process_property_filter: nastyRule(0), page: { limit: 10 } }),
    () => ({ bk_biz_id: 2, fields: Array.from({ length: 1 + int(5) }, () => pick(FIELD_NAMES)), page: { limit: 10 } }),
    () => ({ bk_biz_id: 2, process: { bk_process_names: pick(NASTY_VALUES), bk_func_ids: pick(NASTY_VALUES), bk_process_ids: pick(NASTY_VALUES) }, page: { limit: 1 } }),
    () => ({ bk_biz_id: 2, bk_process_names: pick(NASTY_VALUES), process: { bk_process_names: ["x"] }, page: { limit: 1 } }),
    () => pick(NASTY_VALUES),
  ];
  const body = JSON.stringify(pick(shapes)());
  // A share of bodies is not JSON at all, or cut short.
  if (random() < 0.15) return body.slice(0, int(body.length + 1));
  if (random() < 0.05) return "{".repeat(int(2_000));
  return body;
}

const GRAPHQL_DOCUMENTS: Array<() => string> = [
  () => `{ ${"a".repeat(int(50))} }`,
  () => "{".repeat(1 + int(3_000)),
  () => `{ ${Array.from({ length: 1 + int(200) }, (_, i) => `x${i}: procgraph { version }`).join(" ")} }`,
  () => `{ cmdbProcessList(first: ${pick(["-1", "0", "100000", "\"x\"", "null", "1.5", "9007199254740993"])}) { nodes { bkProcessId } } }`,
  () => `{ cmdbProcesses(ids: [${Array.from({ length: int(1_000) }, () => int(10_000)).join(",")}]) { bkProcessId } }`,
  () => `{ paasApp(code: ${JSON.stringify(pick(["", "$where", "a".repeat(300), "../../etc", "UPPER", "x"]))}) { code } }`,
  () => `{ paasProcessList(appCode: "demo", environment: ${pick(["PROD", "prod", "\"PROD\"", "null", "TEST"])}) { module { name } } }`,
  () => `query Q($v: ${pick(["Int", "String!", "[SafeInt!]!", "JSON", "Nope"])}) { cmdbProcess(id: $v) { bkProcessId } }`,
  () => `{ cmdbProcessRelatedInfo(bkBizId: 2, processPropertyFilter: ${JSON.stringify(JSON.stringify(nastyRule(0)))}, page: { limit: 5 }) { count } }`,
  () => `{ cmdbProcess(id: 1) { attributes(names: ${JSON.stringify(Array.from({ length: 1 + int(4) }, () => pick(FIELD_NAMES)))}) } }`,
  () => `fragment F on Query { ...F } { ...F }`,
  () => `{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }`,
  () => String.fromCharCode(...Array.from({ length: int(400) }, () => int(0x3000))),
  () => `subscription { x } mutation { y }`,
];

const NASTY_VARIABLES: unknown[] = [undefined, null, "x", [], { v: { $gt: "" } }, { v: Array.from({ length: 10_000 }, (_, i) => i) }, { v: "9".repeat(400) }];

interface Probe {
  what: string;
  request: () => Promise<Response>;
}

function probes(count: number): Probe[] {
  const list: Probe[] = [];
  for (let i = 0; i < count; i++) {
    const kind = int(4);
    if (kind === 0 || kind === 1) {
      const query = pick(GRAPHQL_DOCUMENTS)();
      const variables = pick(NASTY_VARIABLES);
      const body = random() < 0.1 ? JSON.stringify({ query: pick(NASTY_VALUES), variables }) : JSON.stringify({ query, variables, operationName: random() < 0.2 ? pick(FIELD_NAMES) : undefined });
      list.push({ what: `graphql ${body.slice(0, 200)}`, request: () => server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body }) });
    } else if (kind === 2) {
      const body = nastyCmdbBody();
      const path = random() < 0.5 ? `/api/v3/findmany/proc/process_related_info/biz/${pick(["2", "-1", "x", "99999999999999999999", "%24where"])}` : "/api/c/compapi/v2/cc/list_process_related_info/";
      const contentType = pick(["application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16"]);
      list.push({ what: `cmdb ${path} ${body.slice(0, 200)}`, request: () => server.request(path, { method: "POST", headers: { "content-type": contentType }, body }) });
    } else {
      const app = encodeURIComponent(pick(["demo", "", "$where", "a".repeat(300), "..", "UP", "x%00"]));
      const env = encodeURIComponent(pick(["prod", "stag", "PROD", "", "$ne"]));
      const module = random() < 0.5 ? `/modules/${encodeURIComponent(pick(["default", "$gt", "a".repeat(100), ""]))}` : "";
      const query = pick(["", "?only_latest_version=maybe", "?only_latest_version=true&only_latest_version=false", "?release_id=1", "?only_latest_version[$ne]=1", "?%00=%00"]);
      const path = `/api/bkapps/applications/${app}${module}/envs/${env}/processes/list/${query}`;
      list.push({ what: `paas ${path}`, request: () => server.request(path) });
    }
  }
  return list;
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+|\bat (Object|Module|async|new) |node_modules\//;

describe("malformed input, generated", () => {
  it("never answers 5xx or shows a stack trace, and the server still serves afterwards", async () => {
    const failures: string[] = [];
    const all = probes(2_000);
    // A few at a time, as clients would send them.
    for (let i = 0; i < all.length; i += 8) {
      await Promise.all(
        all.slice(i, i + 8).map(async (probe) => {
          const response = await probe.request();
          const text = await response.text();
          if (response.status >= 500) failures.push(`${response.status} for ${probe.what}: ${text.slice(0, 300)}`);
          else if (STACK_TRACE.test(text)) failures.push(`stack trace for ${probe.what}: ${text.slice(0, 300)}`);
        }),
      );
    }
    expect(failures.slice(0, 10)).toEqual([]);

    const normal = await server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ procgraph { version } }" }) });
    expect(normal.status).toBe(200);
    expect(((await normal.json()) as { data: unknown }).data).toEqual({ procgraph: { version: expect.any(String) } });
  }, 240_000);
});
