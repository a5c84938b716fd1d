import { PaasWriter } from "../../src/paas/providers/writer";
import { MongoLease } from "../../src/paas/sync/lease";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();

const counter = async (id: string) => (await database.db.collection("paas_resource_versions").findOne({ _id: id as never }))?.value;

describe("PaasWriter and the resource_version counters (docs/paas.md, \"resource_version counters\")", () => {
  it("keys documents by their natural keys and bumps one counter per module environment and kind", async () => {
    const writer = new PaasWriter(database.db);
    const app = await writer.upsertApp({ code: "counted", name: "Counted", type: "default" });
    const module = await writer.upsertModule({ app_code: "counted", name: "default", is_default: true });
    const env = await writer.upsertEnv("counted", "default", { environment: "stag" });
    expect([app._id, module._id, env._id, env.module_id]).toEqual(["counted", "counted/default", "counted/default/stag", "counted/default"]);

    const process = { env_id: env._id, type: "web", name: "bkapp-counted-stag--web", command: "run", replicas: 1, success: 1, version: 1 };
    expect((await writer.upsertProcess(process))._id).toBe("counted/default/stag/web");
    await writer.upsertProcess({ ...process, success: 0 });
    const instance = { env_id: env._id, name: "p-1", process_type: "web", image: "i", start_time: null, state: "Pending", state_message: null, rich_status: "Pending", ready: false, restart_count: 0, terminated_info: null, version: 1 };
    await writer.upsertInstance(instance);
    expect([await counter("counted/default/stag/process"), await counter("counted/default/stag/instance")]).toEqual([2, 1]);

    // A delete counts; deleting what is not there does not.
    expect(await writer.deleteInstance(env._id, "p-1")).toBe(true);
    expect(await writer.deleteInstance(env._id, "p-1")).toBe(false);
    expect(await writer.deleteProcess(env._id, "web")).toBe(true);
    expect([await counter("counted/default/stag/process"), await counter("counted/default/stag/instance")]).toEqual([3, 2]);

    // Never reset: re-creating continues from the last value. Other environments count on their own.
    await writer.upsertProcess(process);
    expect(await counter("counted/default/stag/process")).toBe(4);
    expect(await counter("counted/default/prod/process")).toBeUndefined();
    // Specs are not a counted kind.
    await writer.upsertSpec({ env_id: env._id, name: "web", target_replicas: 1, target_status: "start", max_replicas: 5, resource_limit: { cpu: "1", memory: "1Gi" }, resource_requests: { cpu: "1", memory: "1Gi" }, plan_name: "Starter", autoscaling: false, scaling_config: null });
    expect(await database.db.collection("paas_resource_versions").countDocuments({ env_id: env._id })).toBe(2);
  });
});

describe("what the Kubernetes sync writes besides processes and instances", () => {
  it("creates apps, modules and environments found in labels without overwriting what exists", async () => {
    const writer = new PaasWriter(database.db);
    await writer.upsertApp({ code: "named", name: "Named by an operator", type: "default", language: "Go" });
    await writer.ensureApp({ code: "named", name: "named", type: "cloud_native", language: null, region: null });
    await Promise.all([1, 2, 3].map(() => writer.ensureApp({ code: "fresh", name: "fresh", type: "cloud_native", language: null, region: null })));
    await writer.ensureModule({ app_code: "fresh", name: "default", is_default: true, language: null });
    await writer.ensureEnv("fresh", "default", { environment: "prod" });
    const apps = await database.db.collection("paas_applications").find({ _id: { $in: ["named", "fresh"] } as never }).sort({ _id: 1 }).toArray();
    expect(apps).toEqual([
      { _id: "fresh", code: "fresh", name: "fresh", type: "cloud_native", language: null, region: null },
      { _id: "named", code: "named", name: "Named by an operator", type: "default", language: "Go" },
    ]);
    expect(await database.db.collection("paas_module_envs").findOne({ _id: "fresh/default/prod" as never })).toEqual({ _id: "fresh/default/prod", module_id: "fresh/default", environment: "prod" });
    // Specs have no counter; deleting one reports whether it existed.
    await writer.upsertSpec({ env_id: "fresh/default/prod", name: "web", target_replicas: 1, target_status: "start", max_replicas: 10, resource_limit: { cpu: "1", memory: "1Gi" }, resource_requests: { cpu: "1", memory: "1Gi" }, plan_name: "default", autoscaling: false, scaling_config: null, cluster: "c1" });
    expect((await writer.ownedBy("c1")).specs.map((s) => s._id)).toEqual(["fresh/default/prod/web"]);
    expect([await writer.deleteSpec("fresh/default/prod", "web"), await writer.deleteSpec("fresh/default/prod", "web")]).toEqual([true, false]);
    expect(await database.db.collection("paas_resource_versions").countDocuments({ env_id: "fresh/default/prod" })).toBe(0);
  });
});

describe("the sync's lease (one writer per cluster)", () => {
  it("is held by one instance at a time and taken over only once it expired", async () => {
    const a = new MongoLease(database.db, "c1", 1000);
    const b = new MongoLease(database.db, "c1", 1000);
    const now = new Date();
    expect(await a.acquire(now)).toBe(true);
    expect(await b.acquire(now)).toBe(false);
    expect(await a.acquire(new Date(now.getTime() + 500))).toBe(true); // renewed
    expect(await b.acquire(new Date(now.getTime() + 1200))).toBe(false); // a's renewal moved the expiry
    expect(await b.acquire(new Date(now.getTime() + 1600))).toBe(true); // expired: taken over
    expect(await a.acquire(new Date(now.getTime() + 1700))).toBe(false);
    await b.release();
    expect(await a.acquire(new Date(now.getTime() + 1800))).toBe(true);
    expect(await new MongoLease(database.db, "c2", 1000).acquire(now)).toBe(true); // clusters are independent
  });
});
