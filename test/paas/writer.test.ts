import { PaasWriter } from "../../src/paas/providers/writer";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();

const counter = async (id: string) => (await database.db.collection("paas_resource_versions").findOne({ _id: id as never }))?.value;

describe("PaasWriter and the resource_version counters (P-17)", () => {
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
