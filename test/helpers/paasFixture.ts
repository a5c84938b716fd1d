import type { Db } from "mongodb";
import { PaasWriter } from "../../src/paas/providers/writer";

/**
 * The fixed, hand-written dataset of the PaaS tests. Everything goes through the writer, so the
 * resource_version counters below are the result of these writes:
 * - example/default/prod processes: web, worker → "2"
 * - example/default/prod instances: 5 creates, 1 update, 1 create + 1 delete → "8"
 */
export async function writePaasFixture(db: Db): Promise<void> {
  const writer = new PaasWriter(db);
  await writer.upsertApp({ code: "example", name: "Example", type: "cloud_native", language: "Python", region: "default" });
  await writer.upsertModule({ app_code: "example", name: "default", is_default: true, language: "Python" });
  await writer.upsertModule({ app_code: "example", name: "api", is_default: false, language: "Go" });
  for (const environment of ["stag", "prod"] as const) {
    await writer.upsertEnv("example", "default", { environment, is_offlined: false });
  }
  await writer.upsertEnv("example", "api", { environment: "prod", is_offlined: false });

  const prod = "example/default/prod";
  await writer.upsertProcess({ env_id: prod, type: "web", name: "example--web", command: "gunicorn wsgi -w 4", replicas: 2, success: 1, version: 3 });
  await writer.upsertProcess({ env_id: prod, type: "worker", name: "example--worker", command: "celery -A app worker", replicas: 0, success: 0, version: 3 });
  await writer.upsertSpec({
    env_id: prod,
    name: "web",
    target_replicas: 2,
    target_status: null,
    max_replicas: 10,
    resource_limit: { cpu: "4000m", memory: "1024Mi" },
    resource_requests: { cpu: "200m", memory: "256Mi" },
    plan_name: "default",
    autoscaling: true,
    scaling_config: { min_replicas: 1, max_replicas: 4, policy: "default" },
  });
  // A stale stored "start": cloud-native apps derive the status from the replicas.
  await writer.upsertSpec({
    env_id: prod,
    name: "worker",
    target_replicas: 0,
    target_status: "start",
    max_replicas: 10,
    resource_limit: { cpu: "4", memory: "1Gi" },
    resource_requests: { cpu: "200m", memory: "256Mi" },
    plan_name: "4C1G",
    autoscaling: false,
    scaling_config: null,
  });

  const v3 = "mirrors.example.com/bkapps/example:v3";
  const running = { state: "Running", state_message: null, rich_status: "Running", ready: true, restart_count: 0 };
  await writer.upsertInstance({ env_id: prod, name: "example--web-5d8f7c9b4-abcde", process_type: "web", image: v3, start_time: new Date("2024-08-16T02:07:50Z"), ...running, terminated_info: { exit_code: null, reason: null }, version: 3, host_ip: "10.0.0.11" });
  // The update of a running instance counts as a write too.
  await writer.upsertInstance({ env_id: prod, name: "example--web-5d8f7c9b4-abcde", process_type: "web", image: v3, start_time: new Date("2024-08-16T02:07:55Z"), ...running, terminated_info: { exit_code: null, reason: null }, version: 3, host_ip: "10.0.0.11" });
  await writer.upsertInstance({
    env_id: prod,
    name: "example--web-5d8f7c9b4-fghij",
    process_type: "web",
    image: v3,
    start_time: new Date("2024-08-16T02:08:01Z"),
    state: "Running",
    state_message: "Readiness probe failed",
    rich_status: "Running",
    ready: false,
    restart_count: 2,
    terminated_info: { exit_code: 137, reason: "OOMKilled" },
    version: 3,
  });
  await writer.upsertInstance({
    env_id: prod,
    name: "example--web-5d8f7c9b4-uvwxy",
    process_type: "web",
    image: v3,
    start_time: null,
    state: "Pending",
    state_message: "0/3 nodes are available",
    rich_status: "Pending",
    ready: false,
    restart_count: 0,
    terminated_info: null,
    version: 3,
  });
  // An instance of the previous release, stored with a string version as a sync job may write it.
  await writer.upsertInstance({ env_id: prod, name: "example--web-7c6b5a4d3-klmno", process_type: "web", image: "mirrors.example.com/bkapps/example:v2", start_time: new Date("2024-08-10T11:00:00Z"), ...running, terminated_info: { exit_code: 0, reason: "Completed" }, version: "2" });
  // Matches no process: never listed.
  await writer.upsertInstance({ env_id: prod, name: "example--beat-1a2b3c4d5-pqrst", process_type: "beat", image: v3, start_time: new Date("2024-08-16T02:00:00Z"), ...running, terminated_info: null, version: 3 });
  await writer.upsertInstance({ env_id: prod, name: "example--web-5d8f7c9b4-gone1", process_type: "web", image: v3, start_time: null, ...running, terminated_info: null, version: 3 });
  await writer.deleteInstance(prod, "example--web-5d8f7c9b4-gone1");

  const apiProd = "example/api/prod";
  // Available above desired while scaling down: failed stays 0.
  await writer.upsertProcess({ env_id: apiProd, type: "web", name: "example-m-api--web", command: "./api serve", replicas: 1, success: 2, version: 7 });
  await writer.upsertInstance({ env_id: apiProd, name: "example-m-api--web-6f7e8d9c0-zzzzz", process_type: "web", image: "mirrors.example.com/bkapps/example-api:v7", start_time: new Date("2024-09-01T00:00:00Z"), ...running, terminated_info: null, version: 7 });

  await writer.upsertApp({ code: "legacy-app", name: "Legacy", type: "default", language: "PHP", region: "default" });
  await writer.upsertModule({ app_code: "legacy-app", name: "default", is_default: true, language: "PHP" });
  await writer.upsertEnv("legacy-app", "default", { environment: "prod", is_offlined: false });
  const legacy = "legacy-app/default/prod";
  await writer.upsertProcess({ env_id: legacy, type: "web", name: "bkapp-legacy-app-prod--web", command: "php-fpm", replicas: 1, success: 1, version: 12 });
  await writer.upsertInstance({ env_id: legacy, name: "bkapp-legacy-app-prod--web-84c7d6b5f-q1w2e", process_type: "web", image: "php:7.4", start_time: new Date("2024-07-01T08:30:00.250Z"), ...running, terminated_info: null, version: 12 });
  // Other app types use the stored status, whatever the replicas say.
  await writer.upsertSpec({ env_id: legacy, name: "web", target_replicas: 1, target_status: "stop", max_replicas: 5, resource_limit: { cpu: "500m", memory: "524288Ki" }, resource_requests: { cpu: "100m", memory: "256Mi" }, plan_name: "Starter", autoscaling: false, scaling_config: null });
  await writer.upsertSpec({ env_id: legacy, name: "clock", target_replicas: 0, target_status: "start", max_replicas: 5, resource_limit: { cpu: "1", memory: "268435456" }, resource_requests: { cpu: "100m", memory: "256Mi" }, plan_name: "Starter", autoscaling: false, scaling_config: null });

  // An app whose only module is not the default one.
  await writer.upsertApp({ code: "no-default", name: "No default", type: "cloud_native", language: "Go", region: "default" });
  await writer.upsertModule({ app_code: "no-default", name: "api", is_default: false, language: "Go" });
  await writer.upsertEnv("no-default", "api", { environment: "stag", is_offlined: false });
}
