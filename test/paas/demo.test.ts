import { paasModule } from "../../src/paas/module";
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
    // App 2 of seed 1 is a cloud-native app; its default module's links follow the naming rule.
    const generated = generateApp(1, { seed: 1, maxModules: 3 });
    expect(generated.apps[0]).toMatchObject({ code: "search-2", type: "cloud_native" });
    const types = generated.processes.filter((p) => p.env_id === "search-2/default/prod").map((p) => p.type).sort();
    expect(types.length).toBeGreaterThan(0);
    expect(body.processes.items.map((p) => p.cluster_link)).toEqual(types.map((type) => `http://search-2--${type}.bkapp-search-2-prod`));
  });
});
