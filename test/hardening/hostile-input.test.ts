import { DeadlineExceededError } from "../../src/db/health";
import { checkUserRegexes } from "../../src/db/userRegex";
import { globToRegex, MAX_NAME_PATTERN_STARS } from "../../src/crossmodel/providers/processSearch";
import { nativeCall } from "../helpers/cmdbRest";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

/*
 * One request must not stall the database or crash the server: hostile name patterns, user
 * regexes, and property filters nested or sized far beyond anything useful (docs/graph.md, "Unified
 * search"; docs/cmdb.md, "Deviations from upstream").
 */

const database = useTestDatabase();
const server = useTestServer(database);

const PAGE = { start: 0, limit: 10 };
// Names a backtracking engine needs longest to give up on: many `a`s and no `#`.
const LONG_NAME = "a".repeat(40);

beforeAll(async () => {
  const processes = Array.from({ length: 2_000 }, (_, i) => ({ bk_process_id: i + 1, bk_biz_id: 2, bk_supplier_account: "0", bk_process_name: `${LONG_NAME}${i}` }));
  await database.db.collection("cc_Process").insertMany(processes);
  const paas = Array.from({ length: 500 }, (_, i) => ({ _id: `app-${i % 5}/default/prod/${LONG_NAME}${i}`, env_id: `app-${i % 5}/default/prod`, type: `${LONG_NAME}${i}`, name: `${LONG_NAME}${i}`, target_replicas: 1 }));
  await database.db.collection<{ _id: string }>("paas_processes").insertMany(paas);
}, 120_000);

async function graphql(query: string, variables?: Record<string, unknown>) {
  const startedAt = Date.now();
  const response = await server.request("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { status: response.status, ms: Date.now() - startedAt, ...body };
}

const SEARCH = `query($pattern: String!) { processes(filter: { namePattern: $pattern }, first: 5) { totalCount nodes { name } } }`;

describe("name patterns (globs) cannot make the database backtrack", () => {
  it.each([
    ["13 stars in a run (one wildcard once collapsed)", `${"*".repeat(13)}#`, 0],
    ["10 separate stars", `${"*a".repeat(10)}#`, 0],
    ["10 separate stars that match", `${"*a".repeat(9)}*1999`, 1],
  ])("answers %s in well under a second", async (_name, pattern, total) => {
    const answer = await graphql(SEARCH, { pattern });
    expect(answer.errors).toBeUndefined();
    expect((answer.data?.processes as { totalCount: number }).totalCount).toBe(total);
    // The backtracking translation took minutes here, and held the database meanwhile.
    expect(answer.ms).toBeLessThan(1_000);
  });

  it(`refuses more than ${MAX_NAME_PATTERN_STARS} wildcards with BAD_USER_INPUT`, async () => {
    const answer = await graphql(SEARCH, { pattern: `${"*a".repeat(11)}` });
    expect(answer.errors).toEqual([
      expect.objectContaining({ message: "filter.namePattern: at most 10 * wildcards (a run of * counts as one)", extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }),
    ]);
  });

  it("translates a glob to a regex that matches exactly what the glob matches", () => {
    // The plain (backtracking) translation, safe on short strings, as the reference.
    const reference = (glob: string) => new RegExp(`^${glob.replace(/[*?]/g, (c) => (c === "*" ? ".*" : "."))}$`, "i");
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join("");
    for (let i = 0; i < 3_000; i++) {
      const glob = pick("ab*?", 1 + random(7));
      const name = pick("abAB", random(9));
      expect([glob, name, new RegExp(globToRegex(glob), "i").test(name)]).toEqual([glob, name, reference(glob).test(name)]);
    }
    expect(globToRegex("a.b*")).toBe("^a\\.b.*$");
    expect(globToRegex("***x***y*z")).toBe("^(?=(.*?x))\\1(?=(.*?y))\\2.*z$");
  });
});

/** `depth` groups nested in one another around one rule, as JSON text (no recursion to build it). */
function nestedFilter(depth: number): string {
  return `${'{"condition":"AND","rules":['.repeat(depth)}{"field":"bk_process_id","operator":"exist"}${"]}".repeat(depth)}`;
}
const TOO_DEEP = "'exceed max query condition deepth: 3, process_property_filter.rules' data parameter verification does not pass";
const RELATED = `query($filter: JSONObject) { cmdbProcessRelatedInfo(bkBizId: 2, processPropertyFilter: $filter, page: { limit: 1 }) { count } }`;

describe("property filters far beyond any use are refused cleanly, not with a 500", () => {
  it("refuses a REST filter nested 5,000 levels with 1199006 (depth ≤ 3)", async () => {
    const answer = await nativeCall(server, 2, `{"page":{"limit":1},"process_property_filter":${nestedFilter(5_000)}}`);
    expect([answer.status, answer.json]).toEqual([200, { result: false, bk_error_code: 1199006, bk_error_msg: TOO_DEEP, permission: null, data: null }]);
  });

  it("refuses a GraphQL variable nested 5,000 levels with BAD_USER_INPUT", async () => {
    const startedAt = Date.now();
    const response = await server.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"query":${JSON.stringify(RELATED)},"variables":{"filter":${nestedFilter(5_000)}}}`,
    });
    const answer = (await response.json()) as { errors?: unknown[] };
    expect(answer.errors).toEqual([expect.objectContaining({ message: TOO_DEEP, extensions: { code: "BAD_USER_INPUT", bkErrorCode: 1199006 } })]);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it("refuses a REST filter of 150,000 OR rules with 1199006 (at most 20 rules a group)", async () => {
    const rules = Array.from({ length: 150_000 }, (_, i) => ({ field: "bk_process_id", operator: "equal", value: i }));
    const answer = await nativeCall(server, 2, { page: PAGE, process_property_filter: { condition: "OR", rules } });
    expect([answer.status, answer.json]).toEqual([
      200,
      { result: false, bk_error_code: 1199006, bk_error_msg: "'too many rules of OR condition: 150000 max(20), process_property_filter.rules' data parameter verification does not pass", permission: null, data: null },
    ]);
  });

  it("answers a REST body beyond the size limit with 1199000 in the envelope", async () => {
    const rules = Array.from({ length: 250_000 }, (_, i) => ({ field: "bk_process_id", operator: "equal", value: i }));
    const answer = await nativeCall(server, 2, { page: PAGE, process_property_filter: { condition: "OR", rules } });
    expect([answer.status, answer.json]).toEqual([200, { result: false, bk_error_code: 1199000, bk_error_msg: "Deserializing JSON data failed", permission: null, data: null }]);
  });
});

describe("user regexes are checked before they reach MongoDB", () => {
  const catastrophic = `${".*".repeat(9)}#`;
  const refusal =
    "'regular expression can backtrack catastrophically: its matching time grows as the power 10 of the length of the value (ReDoS), process_property_filter.rules[0].value' data parameter verification does not pass";

  it("refuses `.*` × 9 + `#` in contains with 1199006, fast, and sends no query", async () => {
    const startedAt = Date.now();
    const { result: answer, commands } = await database.recordCommands(() =>
      nativeCall(server, 2, { page: PAGE, process_property_filter: { condition: "AND", rules: [{ field: "bk_process_name", operator: "contains", value: catastrophic }] } }),
    );
    // It took 12.8 s of the database's time when it was sent.
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(answer.json).toEqual({ result: false, bk_error_code: 1199006, bk_error_msg: refusal, permission: null, data: null });
    expect(commands.filter((c) => c.collection === "cc_Process")).toEqual([]);
  });

  it("refuses the same in GraphQL with BAD_USER_INPUT and bkErrorCode 1199006", async () => {
    const answer = await graphql(RELATED, { filter: { condition: "AND", rules: [{ field: "bk_process_name", operator: "not_contains", value: catastrophic }] } });
    expect(answer.errors).toEqual([expect.objectContaining({ message: refusal, extensions: { code: "BAD_USER_INPUT", bkErrorCode: 1199006 } })]);
  });

  it("lets a linear regex through, and answers it", async () => {
    const answer = await graphql(RELATED, { filter: { condition: "AND", rules: [{ field: "bk_process_name", operator: "ends_with", value: "a1999" }] } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ cmdbProcessRelatedInfo: { count: 1 } });
  });

  it("ends a check by the request's deadline, as a timeout of the request, not as the caller's fault", async () => {
    await expect(checkUserRegexes([{ source: "deadline-(x|y)+z", flags: "" }], Date.now() - 1)).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it("gives one verdict per regex, in order", async () => {
    const verdicts = await checkUserRegexes(
      [
        { source: "^nginx", flags: "" },
        { source: "(a|a)*b", flags: "i" },
        { source: "[", flags: "" },
      ],
      Date.now() + 10_000,
    );
    expect(verdicts).toEqual([undefined, expect.stringContaining("grows exponentially"), expect.stringContaining("invalid regular expression")]);
  });
});
