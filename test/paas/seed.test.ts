import pino from "pino";
import type { SeedDeps } from "../../src/modules/types";
import { paasModule } from "../../src/paas/module";
import { parseSeedOptions } from "../../src/paas/seed/command";
import { SeedUsageError } from "../../src/seed/usage";
import { appCodeAt, generateApp } from "../../src/paas/seed/generator";
import type { ProgressReporter } from "../../src/seed/progress";
import { useTestDatabase } from "../helpers/db";
import { loadConfig } from "../../src/config";

const database = useTestDatabase();

function deps(ticks: number[] = []): SeedDeps {
  const progress: ProgressReporter = { start: () => undefined, tick: (n = 1) => void ticks.push(n), done: () => undefined };
  return { config: loadConfig({}), client: database.client, db: database.db, logger: pino({ level: "silent" }), progress };
}

async function dump(): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const name of ["paas_applications", "paas_modules", "paas_module_envs", "paas_process_specs", "paas_processes", "paas_instances", "paas_resource_versions"]) {
    result[name] = await database.db.collection(name).find({}).sort({ _id: 1 }).toArray();
  }
  return result;
}

describe("seed options", () => {
  it("has defaults and reads --apps, --seed, --max-modules, --drop (also as --opt=value)", () => {
    expect(parseSeedOptions([])).toEqual({ apps: 100, seed: 1, maxModules: 3, drop: false });
    expect(parseSeedOptions(["--apps", "10", "--seed=3", "--max-modules", "2", "--drop"])).toEqual({ apps: 10, seed: 3, maxModules: 2, drop: true });
  });

  it.each([["--apps", "0"], ["--apps", "x"], ["--apps"], ["--nope"], ["--max-modules", "7"], ["apps", "3"]])("throws the usage line for %j", async (...argv) => {
    expect(() => parseSeedOptions(argv)).toThrow(SeedUsageError);
    expect(() => parseSeedOptions(argv)).toThrow(/\nusage: npm run seed -- paas /);
    await expect(paasModule.seedCommand!(deps(), argv)).rejects.toThrow(SeedUsageError);
  });
});

describe("generator", () => {
  it("is deterministic per seed and per app, whatever else is generated", () => {
    const options = { seed: 5, maxModules: 3 };
    expect(generateApp(17, options)).toEqual(generateApp(17, options));
    expect(generateApp(17, options)).not.toEqual(generateApp(17, { ...options, seed: 6 }));
    expect(generateApp(17, options).apps[0].code).toBe(appCodeAt(17));
  });
});

describe("npm run seed -- paas", () => {
  let data: Record<string, unknown[]>;
  const ticks: number[] = [];

  beforeAll(async () => {
    await paasModule.seedCommand!(deps(ticks), ["--apps", "250", "--seed", "3"]);
    data = await dump();
  });

  it("writes the apps in batches with progress, and the same data again with --drop", async () => {
    expect(data.paas_applications).toHaveLength(250);
    expect(ticks).toEqual([200, 50]);
    await expect(paasModule.seedCommand!(deps(), ["--apps", "250", "--seed", "3"])).rejects.toThrow(/--drop/);
    await paasModule.seedCommand!(deps(), ["--apps", "250", "--seed", "3", "--drop"]);
    expect(await dump()).toEqual(data);
  });

  it("has realistic variety", () => {
    type Doc = Record<string, unknown>;
    const apps = data.paas_applications as Doc[];
    const modules = data.paas_modules as Doc[];
    const envs = data.paas_module_envs as Doc[];
    const specs = data.paas_process_specs as Doc[];
    const processes = data.paas_processes as Doc[];
    const instances = data.paas_instances as Doc[];
    expect(new Set(apps.map((a) => a.type))).toEqual(new Set(["cloud_native", "default", "engineless_app"]));
    const modulesPerApp = new Map<unknown, number>();
    for (const m of modules) modulesPerApp.set(m.app_code, (modulesPerApp.get(m.app_code) ?? 0) + 1);
    expect(Math.max(...modulesPerApp.values())).toBeGreaterThanOrEqual(3);
    expect(new Set(envs.map((e) => e.environment))).toEqual(new Set(["stag", "prod"]));
    expect(processes.some((p) => p.replicas === 0)).toBe(true);
    expect(processes.some((p) => (p.success as number) < (p.replicas as number))).toBe(true);
    expect(new Set(instances.map((i) => i.state))).toEqual(new Set(["Running", "Failed", "Pending"]));
    expect(instances.some((i) => i.state === "Running" && i.ready === false)).toBe(true);
    const processVersion = new Map(processes.map((p) => [`${p.env_id}/${p.type}`, p.version]));
    expect(instances.some((i) => processVersion.get(`${i.env_id}/${i.process_type}`) !== i.version)).toBe(true);
    expect(specs.some((s) => s.autoscaling === true && s.scaling_config !== null)).toBe(true);
    // Every process has a package; every instance belongs to a process.
    expect(specs.map((s) => s._id).sort()).toEqual(processes.map((p) => p._id).sort());
    expect(instances.every((i) => processVersion.has(`${i.env_id}/${i.process_type}`))).toBe(true);
  });

  it("bumps the counters as the writer does: one per document written", () => {
    const rv = data.paas_resource_versions as Array<{ kind: string; value: number }>;
    const sum = (kind: string) => rv.filter((r) => r.kind === kind).reduce((n, r) => n + r.value, 0);
    expect(sum("process")).toBe(data.paas_processes.length);
    expect(sum("instance")).toBe(data.paas_instances.length);
  });
});
