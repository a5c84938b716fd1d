import pino from "pino";
import { PaasDashboardDocument } from "../generated/graphql";
import { createProgressReporter } from "../../src/seed/progress";
import { seedPaas } from "../../src/paas/seed/command";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  const deps = { ...server.running.deps, logger: pino({ level: "silent" }), progress: createProgressReporter(process.stderr, true) };
  await seedPaas(deps, { apps: 60, seed: 7, maxModules: 3, drop: false });
});

// One query per collection per level: apps, their modules, the modules' environments, the
// environments' processes, then (same level) the modules by id for clusterLink and the instances.
const EXPECTED = ["find:paas_applications", "find:paas_modules", "find:paas_module_envs", "find:paas_processes", "find:paas_modules", "find:paas_instances"];

describe("round trips of the dashboard query", () => {
  it.each([5, 50])("costs the same fixed commands for %i apps", async (first) => {
    const { result, summary, commands } = await database.recordCommands(() => server.graphql(PaasDashboardDocument, { first }));
    expect(result.errors).toBeUndefined();
    const apps = result.data!.paasAppList.nodes;
    expect(apps).toHaveLength(first);
    const instances = apps.flatMap((a) => a.modules.flatMap((m) => m.environments.flatMap((e) => e.processes.flatMap((p) => p.instances))));
    expect(instances.length).toBeGreaterThan(first);
    expect(summary).toEqual(EXPECTED);
    // The projection follows the selection: the processes query reads only what the query shows.
    const processes = commands.find((c) => c.collection === "paas_processes")!;
    expect(processes.command.projection).toEqual({ _id: 1, env_id: 1, replicas: 1, success: 1, type: 1, version: 1 });
    expect((processes.command.filter as { env_id: { $in: string[] } }).env_id.$in.length).toBeGreaterThanOrEqual(first);
  });
});
