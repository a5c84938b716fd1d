import { CmdbCollection } from "../../src/cmdb/collections";
import { GraphProcessesOrderedDocument, type ProcessFilter, type ProcessOrder } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { insertGraphFixture, tokensFile } from "../helpers/crossModelFixture";

/*
 * The unified search's `orderBy` (docs/graph.md, "Unified search"): one order across both models and
 * every page, the cursor holding the sort key.
 */

const SCOPED = "token-graph-order-biz2-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, { TOKENS_FILE: tokensFile({ "biz2-example": { token: SCOPED, scope: { cmdbBusinesses: [2], paasApps: ["example"] } } }) });
const scoped = { authorization: `Bearer ${SCOPED}` };

beforeAll(async () => {
  await insertGraphFixture(database.db);
});

/** Every page of the ordered search, `first` rows at a time: the names in order. */
async function walk(orderBy: ProcessOrder, first: number, filter?: ProcessFilter, headers: Record<string, string> = {}): Promise<string[]> {
  const names: string[] = [];
  let after: string | null | undefined;
  for (let page = 0; page < 20; page += 1) {
    const result = await server.graphql(GraphProcessesOrderedDocument, { orderBy, first, after, filter }, headers);
    expect(result.errors).toBeUndefined();
    const { nodes, pageInfo } = result.data!.processes;
    expect(nodes.length).toBeLessThanOrEqual(first);
    names.push(...nodes.map((n) => n.name));
    if (!pageInfo.hasNextPage) return names;
    after = pageInfo.endCursor;
  }
  throw new Error("no last page");
}

const errorOf = async (variables: Record<string, unknown>) => {
  const result = await server.graphql(GraphProcessesOrderedDocument, variables as never);
  expect(result.data?.processes ?? null).toBeNull();
  return { code: result.errors?.[0]?.extensions?.code, message: result.errors?.[0]?.message ?? "" };
};

// The fixture (test/helpers/crossModelFixture.ts): CMDB 45 pr1 (proc_num 1), 46 alias_pr2 (2), 47 java-app (2),
// 48 orphan (none), all UNKNOWN; PaaS by key: example/api/prod/web example-m-api--web (1 desired, 2
// available, HEALTHY), example/default/prod/web example--web (2/1 UNHEALTHY), example/default/prod/worker
// example--worker (0/0 STOPPED), legacy-app/default/prod/web bkapp-legacy-app-prod--web (1/1 HEALTHY).
const ORDERS: Array<[ProcessOrder, string[]]> = [
  [{ field: "NAME", direction: "ASC" }, ["alias_pr2", "bkapp-legacy-app-prod--web", "example--web", "example--worker", "example-m-api--web", "java-app", "orphan", "pr1"]],
  [{ field: "HEALTH", direction: "ASC" }, ["example--web", "example--worker", "pr1", "alias_pr2", "java-app", "orphan", "example-m-api--web", "bkapp-legacy-app-prod--web"]],
  [{ field: "SOURCE", direction: "ASC" }, ["pr1", "alias_pr2", "java-app", "orphan", "example-m-api--web", "example--web", "example--worker", "bkapp-legacy-app-prod--web"]],
  // No desired value (orphan) first; ties go by source, then id or key.
  [{ field: "DESIRED", direction: "ASC" }, ["orphan", "example--worker", "pr1", "example-m-api--web", "bkapp-legacy-app-prod--web", "alias_pr2", "java-app", "example--web"]],
  [{ field: "AVAILABLE", direction: "ASC" }, ["pr1", "alias_pr2", "java-app", "orphan", "example--worker", "example--web", "bkapp-legacy-app-prod--web", "example-m-api--web"]],
];

describe("processes(orderBy:)", () => {
  it.each(ORDERS)("orders by %j across pages of every size, and DESC is the exact reverse", async (order, expected) => {
    for (const first of [1, 2, 3, 8]) expect(await walk(order, first)).toEqual(expected);
    for (const first of [1, 3]) expect(await walk({ ...order, direction: "DESC" }, first)).toEqual([...expected].reverse());
  });

  it("keeps the default order, and its cursors, when orderBy is omitted", async () => {
    const result = await server.graphql(GraphProcessesOrderedDocument, { first: 8 });
    expect(result.data!.processes.nodes.map((n) => n.name)).toEqual(ORDERS[2][1]);
  });

  it("applies the filter and the token's scope to an ordered search", async () => {
    expect(await walk({ field: "AVAILABLE", direction: "DESC" }, 1, { source: "PAAS" })).toEqual(["example-m-api--web", "bkapp-legacy-app-prod--web", "example--web", "example--worker"]);
    // The scoped token sees business 2 and the app example: not legacy-app.
    const inScope = ORDERS[0][1].filter((name) => name !== "bkapp-legacy-app-prod--web");
    expect(await walk({ field: "NAME", direction: "ASC" }, 3, undefined, scoped)).toEqual(inScope);
    const result = await server.graphql(GraphProcessesOrderedDocument, { orderBy: { field: "NAME", direction: "ASC" }, first: 2 }, scoped);
    expect(result.data!.processes.totalCount).toBe(7);
  });

  it("reads one page with one aggregate per model", async () => {
    const first = await server.graphql(GraphProcessesOrderedDocument, { orderBy: { field: "HEALTH", direction: "ASC" }, first: 3 });
    const after = first.data!.processes.pageInfo.endCursor;
    const { result, commands } = await database.recordCommands(() =>
      server.graphql(GraphProcessesOrderedDocument, { orderBy: { field: "HEALTH", direction: "ASC" }, first: 3, after }),
    );
    expect(result.data!.processes.nodes.map((n) => n.name)).toEqual(["alias_pr2", "java-app", "orphan"]);
    // The page (one aggregate per model) and totalCount (countDocuments: one aggregate per model).
    expect(commands.map((c) => `${c.name}:${c.collection}`).sort()).toEqual(["aggregate:cc_Process", "aggregate:cc_Process", "aggregate:paas_processes", "aggregate:paas_processes"]);
  });

  it("answers bad orders and cursors of another order with BAD_USER_INPUT", async () => {
    const byName = await server.graphql(GraphProcessesOrderedDocument, { orderBy: { field: "NAME", direction: "ASC" }, first: 2 });
    const nameCursor = byName.data!.processes.pageInfo.endCursor!;
    const plain = await server.graphql(GraphProcessesOrderedDocument, { first: 2 });
    const plainCursor = plain.data!.processes.pageInfo.endCursor!;

    expect(await errorOf({ orderBy: { field: "SIZE", direction: "ASC" }, first: 2 })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await errorOf({ orderBy: { field: "NAME", direction: "UP" }, first: 2 })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await errorOf({ orderBy: { field: "NAME", direction: "DESC" }, first: 2, after: nameCursor })).toEqual({ code: "BAD_USER_INPUT", message: "after: a cursor of orderBy NAME ASC, not NAME DESC" });
    expect(await errorOf({ orderBy: { field: "HEALTH", direction: "ASC" }, first: 2, after: nameCursor })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await errorOf({ orderBy: { field: "NAME", direction: "ASC" }, first: 2, after: plainCursor })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await errorOf({ first: 2, after: nameCursor })).toMatchObject({ code: "BAD_USER_INPUT" });
    const forged = Buffer.from(JSON.stringify(["process", "order", "NAME", "ASC", { $gt: "" }, "CMDB", 45])).toString("base64url");
    expect(await errorOf({ orderBy: { field: "NAME", direction: "ASC" }, first: 2, after: forged })).toEqual({ code: "BAD_USER_INPUT", message: "after: not a cursor of processes" });
  });

  it("takes a name that looks like a field path as a name", async () => {
    const processes = database.db.collection(CmdbCollection.process);
    await processes.insertOne({ bk_process_id: 990, bk_biz_id: 2, bk_process_name: "$bk_process_name", bk_supplier_account: "0" });
    try {
      // "$" sorts before every letter: first, and a cursor holding it resumes after it.
      expect(await walk({ field: "NAME", direction: "ASC" }, 1)).toEqual(["$bk_process_name", ...ORDERS[0][1]]);
    } finally {
      await processes.deleteOne({ bk_process_id: 990 });
    }
  });
});
