import { GraphQLObjectType, parse, type GraphQLFieldResolver, type GraphQLResolveInfo, type ResponsePath } from "graphql";
import { seedCmdb } from "../../src/cmdb/seed/command";
import { DEFAULT_SEED_OPTIONS } from "../../src/cmdb/seed/generator";
import { getSchema } from "../../src/graphql/schema";
import { modules } from "../../src/modules";
import { PROCESS_PAGE_COMMANDS } from "../helpers/cmdbRest";
import { seedDepsOf, useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

/*
 * docs/architecture.md, "Execution without waiting": a list reads its rows' relations before
 * graphql-js walks the page, so the page completes without a promise per row, with the same
 * commands, and a selection left out (@skip, @include) reads nothing.
 */

const database = useTestDatabase();
const server = useTestServer(database);

/** Calls of marked resolvers made by execution (a path through a list index), and how many answered a promise. */
const calls = { execution: 0, promises: 0, byField: new Map<string, number>() };

const underList = (path: ResponsePath | undefined): boolean => {
  for (let at = path; at; at = at.prev) if (typeof at.key === "number") return true;
  return false;
};

beforeAll(async () => {
  const deps = seedDepsOf(database);
  await seedCmdb(deps, { ...DEFAULT_SEED_OPTIONS, businesses: 1, sets: 2, modules: 2, hosts: 40, processes: 150, seed: 5 });
  // The server's own schema (built once per module list): each marked resolver is wrapped to count what it answers.
  const schema = await getSchema(modules);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || !type.name.startsWith("Cmdb")) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown> | undefined;
      if (!resolve || field.extensions.procgraphPrefetched !== true) continue;
      field.resolve = (source, args, context, info: GraphQLResolveInfo) => {
        const answer = resolve(source, args, context, info);
        if (underList(info.path)) {
          calls.execution++;
          const name = `${type.name}.${field.name}`;
          calls.byField.set(name, (calls.byField.get(name) ?? 0) + 1);
          if (typeof (answer as { then?: unknown } | null)?.then === "function") calls.promises++;
        }
        return answer;
      };
    }
  }
}, 120_000);

beforeEach(() => {
  calls.execution = 0;
  calls.promises = 0;
  calls.byField.clear();
});

const PAGE = `
  query Page($first: Int, $withHost: Boolean!, $skipInstance: Boolean!) {
    cmdbProcessList(bkBizId: 2, first: $first) {
      nodes {
        bkProcessId
        ...Links
        host @include(if: $withHost) { bkHostInnerip }
      }
    }
  }
  fragment Links on CmdbProcess {
    serviceInstance @skip(if: $skipInstance) { name module { bkModuleName set { bkSetName } } }
    ... on CmdbProcess { template: processTemplate { bkProcessName } }
  }`;

describe('a page is read ahead and completes synchronously (docs/architecture.md, "Execution without waiting")', () => {
  it("answers every relation of a page of 100 with a value, not a promise, through fragments and aliases", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(parse(PAGE), { first: 100, withHost: true, skipInstance: false }));
    expect(result.errors).toBeUndefined();
    const nodes = (result.data as any).cmdbProcessList.nodes as any[];
    expect(nodes).toHaveLength(100);
    expect(nodes.filter((n) => n.serviceInstance?.module?.set?.bkSetName && n.host?.bkHostInnerip).length).toBeGreaterThan(90);
    // Process → serviceInstance, host, template (100 each); service instance → module; module → set.
    expect(calls.byField.get("CmdbProcess.serviceInstance")).toBe(100);
    expect(calls.byField.get("CmdbProcess.host")).toBe(100);
    expect(calls.byField.get("CmdbProcess.processTemplate")).toBe(100);
    expect(calls.byField.get("CmdbServiceInstance.module")).toBeGreaterThan(90);
    expect(calls.promises).toBe(0);
    expect([...summary].sort()).toEqual(PROCESS_PAGE_COMMANDS);
  });

  it("reads nothing for relations left out by @skip and @include", async () => {
    const { result, summary } = await database.recordCommands(() => server.graphql(parse(PAGE), { first: 50, withHost: false, skipInstance: true }));
    expect(result.errors).toBeUndefined();
    const nodes = (result.data as any).cmdbProcessList.nodes as any[];
    expect(nodes).toHaveLength(50);
    expect(nodes.every((n) => !("host" in n) && !("serviceInstance" in n) && "template" in n)).toBe(true);
    expect(calls.promises).toBe(0);
    expect([...summary].sort()).toEqual(["find:cc_Process", "find:cc_ProcessInstanceRelation", "find:cc_ProcessTemplate"]);
  });

  it("leaves a field it is not told about to execution, with the same answer", async () => {
    // `attributes` is not marked: execution resolves it as before, beside the prefetched relations.
    const query = `{ cmdbProcessList(bkBizId: 2, first: 5) { nodes { bkProcessId attributes host { bkHostId } } } }`;
    const { result } = await database.recordCommands(() => server.graphql(parse(query), {}));
    expect(result.errors).toBeUndefined();
    const nodes = (result.data as any).cmdbProcessList.nodes as any[];
    expect(nodes).toHaveLength(5);
    expect(nodes.every((n) => typeof n.attributes === "object" && n.host !== undefined)).toBe(true);
    expect(calls.byField.get("CmdbProcess.host")).toBe(5);
    expect(calls.promises).toBe(0);
  });
});
