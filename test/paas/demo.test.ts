import { paasModule } from "../../src/paas/module";
import { PAAS_DEMO_OPTIONS } from "../../src/paas/seed/command";
import { generateApp } from "../../src/paas/seed/generator";
import { seedDemoOnce } from "../../src/seed/demo";
import { createProgressReporter } from "../../src/seed/progress";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const database = useTestDatabase();
const server = useTestServer(database);

describe("demo data on first start", () => {
  it("seeds five apps once, with indexes, and the REST list answers for them", async () => {
    const deps = { ...server.running.deps, progress: createProgressReporter(process.stderr, true) };
    expect(await seedDemoOnce(deps, [paasModule])).toEqual(["paas"]);
    expect(await seedDemoOnce(deps, [paasModule])).toEqual([]);
    expect(await database.db.collection("paas_applications").countDocuments()).toBe(5);
    const indexes = (await database.db.collection("paas_processes").indexes()).map((i) => i.name);
    expect(indexes).toContain("env_id_type");

    const response = await server.request("/api/bkapps/applications/search-2/envs/prod/processes/list/");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { processes: { items: Array<{ cluster_link: string }> } };
    // App 2's default module: its links follow the naming rule.
    const generated = generateApp(1, PAAS_DEMO_OPTIONS);
    expect(generated.apps[0]).toMatchObject({ code: "search-2" });
    const types = generated.processes.filter((p) => p.env_id === "search-2/default/prod").map((p) => p.type).sort();
    expect(types.length).toBeGreaterThan(0);
    expect(body.processes.items.map((p) => p.cluster_link)).toEqual(types.map((type) => `http://search-2--${type}.bkapp-search-2-prod`));
  });

  it("shows every case a demo should", async () => {
    const db = database.db;
    const processes = await db.collection("paas_processes").find().toArray();
    const versionOf = new Map(processes.map((p) => [String(p._id), p.version]));
    const instances = await db.collection("paas_instances").find().toArray();
    const apps = await db.collection("paas_applications").find().toArray();
    expect({
      cloudNativeApps: apps.some((a) => a.type === "cloud_native"),
      defaultApps: apps.some((a) => a.type === "default"),
      stoppedProcesses: processes.some((p) => p.replicas === 0),
      failingProcesses: processes.some((p) => p.success < p.replicas),
      autoscaling: (await db.collection("paas_process_specs").countDocuments({ autoscaling: true })) > 0,
      pendingInstances: instances.some((i) => i.state === "Pending"),
      olderVersions: instances.some((i) => Number(i.version) !== versionOf.get(`${i.env_id}/${i.process_type}`)),
      severalModules: (await db.collection("paas_modules").countDocuments()) > apps.length,
    }).toEqual({
      cloudNativeApps: true,
      defaultApps: true,
      stoppedProcesses: true,
      failingProcesses: true,
      autoscaling: true,
      pendingInstances: true,
      olderVersions: true,
      severalModules: true,
    });
  });
});
