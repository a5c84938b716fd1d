import { seedCmdb } from "../../src/cmdb/seed/command";
import { DEFAULT_SEED_OPTIONS } from "../../src/cmdb/seed/generator";
import { CmdbProcessDashboardPageDocument, CmdbRelatedInfoDashboardDocument } from "../generated/graphql";
import { seedDepsOf, useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { nativeCall, PROCESS_PAGE_COMMANDS, RELATED_INFO_COMMANDS, RELATED_INFO_GRAPHQL_COMMANDS } from "../helpers/cmdbRest";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  const deps = seedDepsOf(database);
  await seedCmdb(deps, { ...DEFAULT_SEED_OPTIONS, businesses: 1, sets: 3, modules: 3, hosts: 150, processes: 1100, seed: 7 });
}, 120_000);

describe('round trips do not grow with the page (docs/cmdb.md, "Root fields")', () => {
  it.each([10, 500])("REST: a page of %d processes with every link costs 7 commands", async (limit) => {
    const { result, summary } = await database.recordCommands(() => nativeCall(server, 2, { page: { start: 100, limit } }));
    expect(result.json.data?.info).toHaveLength(limit);
    expect(result.json.data!.info.filter((item) => item.set.bk_set_id !== 0).length).toBeGreaterThan(limit * 0.9);
    expect([...summary].sort()).toEqual(RELATED_INFO_COMMANDS);
  });

  it.each([10, 500])("GraphQL cmdbProcessRelatedInfo: a page of %d with set, module, host, service instance and template costs 8 commands", async (limit) => {
    const { result, summary } = await database.recordCommands(() => server.graphql(CmdbRelatedInfoDashboardDocument, { bkBizId: 2, page: { start: 100, limit } }));
    expect(result.errors).toBeUndefined();
    const info = result.data!.cmdbProcessRelatedInfo.info;
    expect(info).toHaveLength(limit);
    expect(info.filter((item) => item.set && item.module && item.host && item.serviceInstance).length).toBeGreaterThan(limit * 0.9);
    expect(info.some((item) => item.processTemplate)).toBe(true);
    expect([...summary].sort()).toEqual(RELATED_INFO_GRAPHQL_COMMANDS);
  });

  it.each([10, 500])("GraphQL navigation: cmdbProcessList(first: %d) up to set, host and template costs 7 commands", async (first) => {
    const { result, summary } = await database.recordCommands(() => server.graphql(CmdbProcessDashboardPageDocument, { bkBizId: 2, first }));
    expect(result.errors).toBeUndefined();
    expect(result.data!.cmdbProcessList.nodes).toHaveLength(first);
    expect([...summary].sort()).toEqual(PROCESS_PAGE_COMMANDS);
  });
});
