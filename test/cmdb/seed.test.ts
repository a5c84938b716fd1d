import type { Document } from "mongodb";
import pino from "pino";
import { CmdbCollection } from "../../src/cmdb/collections";
import { cmdbSeedCommand } from "../../src/cmdb/seed/command";
import { DEFAULT_SEED_OPTIONS, generateCmdbData } from "../../src/cmdb/seed/generator";
import { loadConfig } from "../../src/config";
import { cmdbModule } from "../../src/cmdb/module";
import { main as seedCli } from "../../src/seed/cli";
import { seedDemoOnce } from "../../src/seed/demo";
import { createProgressReporter } from "../../src/seed/progress";
import { SeedUsageError } from "../../src/seed/usage";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();
const deps = (prefix = "") => ({
  config: loadConfig({ CMDB_COLLECTION_PREFIX: prefix }),
  client: database.client,
  db: database.db,
  logger: pino({ level: "silent" }),
  progress: createProgressReporter(process.stderr, true),
});

async function generate(options: Partial<typeof DEFAULT_SEED_OPTIONS>) {
  const out: Record<string, Document[]> = {};
  await generateCmdbData({ ...DEFAULT_SEED_OPTIONS, ...options }, async (collection, documents) => {
    (out[collection] ??= []).push(...documents);
  });
  // Collections flush at different times with different batch sizes: compare them in name order.
  return Object.fromEntries(Object.keys(out).sort().map((name) => [name, out[name]]));
}

describe("the CMDB demo generator", () => {
  it("is deterministic: the same options give the same data, another seed other data", async () => {
    const a = await generate({ processes: 300, batchSize: 7 });
    const b = await generate({ processes: 300, batchSize: 1000 });
    const c = await generate({ processes: 300, seed: 2 });
    expect(JSON.stringify(a) === JSON.stringify(b)).toBe(true);
    expect(JSON.stringify(a) === JSON.stringify(c)).toBe(false);
    expect(a[CmdbCollection.process]).toHaveLength(300);
  });

  it("has the variety docs/cmdb.md promises, in upstream's layout", async () => {
    const data = await generate({ processes: 400, hosts: 40 });
    const processes = data[CmdbCollection.process];
    const relations = data[CmdbCollection.relation];
    const related = new Set(relations.map((r) => Number(r.bk_process_id)));
    expect(processes.some((p) => !related.has(Number(p.bk_process_id)))).toBe(true);
    expect(processes[0].bk_process_id._bsontype).toBe("Long");
    expect(processes.every((p) => p.bk_supplier_account === "0")).toBe(true);
    expect(processes.some((p) => p.bind_info.length > 0 && typeof p.bind_info[0].port === "string")).toBe(true);
    expect(processes.some((p) => p.custom_level !== undefined)).toBe(true);
    expect(data[CmdbCollection.attribute].map((a) => a.bk_property_id)).toContain("custom_level");
    const perInstance = new Map<number, number>();
    for (const r of relations) perInstance.set(Number(r.service_instance_id), (perInstance.get(Number(r.service_instance_id)) ?? 0) + 1);
    expect(Math.max(...perInstance.values())).toBeGreaterThan(1);
    const hosts = data[CmdbCollection.host];
    expect(hosts.some((h) => h.bk_host_innerip.length > 1)).toBe(true);
    expect(hosts.filter((h) => h.bk_host_innerip_v6).every((h) => /^([0-9a-f]{4}:){7}[0-9a-f]{4}$/.test(h.bk_host_innerip_v6[0]))).toBe(true);
    expect(hosts.some((h) => h.bk_host_innerip_v6)).toBe(true);
    expect(new Set(data[CmdbCollection.module].map((m) => m.default))).toEqual(new Set([0, 1, 2, 3]));
    expect(data[CmdbCollection.processTemplate].every((t) => t.property?.bind_info)).toBe(true);
  });
});

describe("the demo data of npm start", () => {
  it("seeds about 200 processes once, with upstream's indexes", async () => {
    const seeded = await seedDemoOnce(deps("demo_"), [cmdbModule]);
    expect(seeded).toEqual(["cmdb"]);
    expect(await database.db.collection("demo_cc_Process").countDocuments()).toBe(DEFAULT_SEED_OPTIONS.processes);
    const names = (await database.db.collection("demo_cc_HostBase").listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(["idx_unique_hostID", "bkcc_unique_bkAgentID"]));
    expect(await seedDemoOnce(deps("demo_"), [cmdbModule])).toEqual([]);
  });

  it("leaves a database that already holds CMDB data (seeded by hand) as it is", async () => {
    await cmdbSeedCommand(deps("hand_"), ["--processes", "7"]);
    await database.db.collection("procgraph_meta").deleteMany({});
    expect(await seedDemoOnce(deps("hand_"), [cmdbModule])).toEqual(["cmdb"]);
    expect(await database.db.collection("hand_cc_Process").countDocuments()).toBe(7);
  });
});

describe("npm run seed -- cmdb", () => {
  it("seeds a prefixed database and creates upstream's indexes", async () => {
    await cmdbSeedCommand(deps("t1_"), ["--processes", "120", "--hosts", "10", "--businesses", "2"]);
    expect(await database.db.collection("t1_cc_Process").countDocuments()).toBe(120);
    expect(await database.db.collection("t1_cc_ApplicationBase").countDocuments()).toBe(3);
    const names = (await database.db.collection("t1_cc_Process").listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(["idx_unique_procID", "bkcc_unique_svcInstID_bkProcName", "bk_biz_id_1"]));
    expect(await database.db.listCollections({ name: "cc_Process" }).toArray()).toEqual([]);
  });

  it("refuses to write over data without --drop, and replaces it with --drop", async () => {
    await expect(cmdbSeedCommand(deps("t1_"), ["--processes", "5"])).rejects.toThrow(/already holds documents: pass --drop/);
    await cmdbSeedCommand(deps("t1_"), ["--processes", "5", "--drop"]);
    expect(await database.db.collection("t1_cc_Process").countDocuments()).toBe(5);
  });

  it("creates only the indexes with --indexes-only", async () => {
    await cmdbSeedCommand(deps("t2_"), ["--indexes-only"]);
    expect(await database.db.collection("t2_cc_Process").countDocuments()).toBe(0);
    const names = (await database.db.collection("t2_cc_ProcessInstanceRelation").listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(["idx_unique_serviceInstID_ProcID", "idx_bkHostID"]));
  });

  it.each([[["--bogus"]], [["--processes"]], [["--processes", "many"]], [["--hosts", "0"]], [["--indexes-only", "--drop"]]])("refuses %j with the usage line", async (argv) => {
    await expect(cmdbSeedCommand(deps("t3_"), argv)).rejects.toThrow(SeedUsageError);
    await expect(cmdbSeedCommand(deps("t3_"), argv)).rejects.toThrow(/usage: npm run seed -- cmdb/);
  });

  it("exits 2 with a usage line for an unknown module", async () => {
    const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await seedCli(["nope"])).toBe(2);
      expect(write.mock.calls.map((c) => String(c[0])).join("")).toMatch(/^usage: npm run seed -- <cmdb/);
    } finally {
      write.mockRestore();
    }
  });
});
