import { childId, envId, moduleId, ENV_NAMES } from "../ids";
import type { AppDoc as App, InstanceDoc, PaasAppType, PaasDocumentBatch, PaasEnvName, ScalingConfigDoc } from "../collections";
import { DEMO_HOST_COUNT, hostInnerIp } from "../../seed/hosts";
import { prng } from "../../seed/random";

/**
 * Deterministic demo data: the same options give the same documents. Each app draws from its own
 * PRNG (seeded by the run seed and its index), so app N is the same whatever the batch size.
 */

export interface GeneratorOptions {
  seed: number;
  maxModules: number;
}

export type GeneratedBatch = PaasDocumentBatch;

const WORDS = ["billing", "search", "gateway", "metrics", "notify", "ledger", "portal", "audit", "crm", "inventory", "payroll", "ticket", "wiki", "sso", "monitor"];
const NAMES = ["Billing", "Search", "Gateway", "Metrics", "Notify", "Ledger", "Portal", "Audit", "CRM", "Inventory", "Payroll", "Ticket", "Wiki", "SSO", "Monitor"];
const EXTRA_MODULES = ["api", "worker", "frontend", "admin", "sync"];
const LANGUAGES = ["Python", "Go", "NodeJS", "Java", "PHP"];
const COMMANDS: Record<string, string> = {
  web: "gunicorn wsgi -w 4 -b [::]:${PORT}",
  worker: "celery -A app worker -l info",
  beat: "celery -A app beat -l info",
  consumer: "python manage.py consume --queue default",
};
const DEFAULT_PLANS = [
  { name: "Starter", limit: { cpu: "4096m", memory: "1024Mi" }, requests: { cpu: "100m", memory: "256Mi" } },
  { name: "4C2G5R", limit: { cpu: "4096m", memory: "2048Mi" }, requests: { cpu: "100m", memory: "896Mi" } },
];
const CNATIVE_PLANS = [
  { name: "default", limit: { cpu: "4000m", memory: "1024Mi" }, requests: { cpu: "200m", memory: "256Mi" } },
  { name: "4C2G", limit: { cpu: "4000m", memory: "2048Mi" }, requests: { cpu: "200m", memory: "1024Mi" } },
  { name: "4C4G", limit: { cpu: "4", memory: "4Gi" }, requests: { cpu: "200m", memory: "2048Mi" } },
];
const BASE_TIME = Date.UTC(2026, 0, 5, 8, 0, 0);
const ALPHANUMERIC = "bcdfghjklmnpqrstvwxz2456789";

export function appCodeAt(index: number): string {
  return `${WORDS[index % WORDS.length]}-${index + 1}`;
}

class Draw {
  constructor(private readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  token(length: number): string {
    return Array.from({ length }, () => this.pick([...ALPHANUMERIC])).join("");
  }
}

/** All documents of app number `index` (0-based). */
export function generateApp(index: number, options: GeneratorOptions): GeneratedBatch {
  const draw = new Draw(prng(options.seed * 1_000_003 + index));
  const code = appCodeAt(index);
  const roll = draw.int(1, 100);
  const type: PaasAppType = roll <= 60 ? "cloud_native" : roll <= 95 ? "default" : "engineless_app";
  const app: App = {
    _id: code,
    code,
    name: `${NAMES[index % NAMES.length]} ${index + 1}`,
    type,
    language: draw.pick(LANGUAGES),
    region: "default",
    created: new Date(BASE_TIME - draw.int(1, 900) * 86_400_000),
  };
  const batch: GeneratedBatch = { apps: [app], modules: [], envs: [], specs: [], processes: [], instances: [] };
  // Engineless apps have no modules upstream: nothing runs.
  if (type === "engineless_app") return batch;

  const moduleNames = ["default", ...EXTRA_MODULES.filter(() => draw.chance(0.5))].slice(0, Math.max(1, options.maxModules));
  for (const moduleName of moduleNames) {
    const isDefault = moduleName === "default";
    batch.modules.push({ _id: moduleId(code, moduleName), app_code: code, name: moduleName, is_default: isDefault, language: app.language, source_origin: type === "cloud_native" ? 6 : 1 });
    const types = ["web", ...["worker", "beat", "consumer"].filter(() => draw.chance(0.35))];
    for (const environment of ENV_NAMES) generateEnv(draw, batch, app, moduleName, isDefault, environment, types);
  }
  return batch;
}

function generateEnv(draw: Draw, batch: GeneratedBatch, app: App, moduleName: string, isDefault: boolean, environment: PaasEnvName, types: string[]): void {
  const env = envId(app.code, moduleName, environment);
  batch.envs.push({ _id: env, module_id: moduleId(app.code, moduleName), environment, is_offlined: false });
  const cloudNative = app.type === "cloud_native";
  const version = draw.int(1, 60);
  const bkappName = isDefault ? app.code : `${app.code}-m-${moduleName}`;
  const namePrefix = cloudNative ? bkappName : `bkapp-${bkappName}-${environment}`;
  for (const type of types) {
    const plan = draw.pick(cloudNative ? CNATIVE_PLANS : DEFAULT_PLANS);
    const stopped = draw.chance(0.12);
    const autoscaling = !stopped && environment === "prod" && draw.chance(0.2);
    const base = environment === "prod" && type === "web" ? 2 : 1;
    const targetReplicas = stopped ? 0 : draw.int(base, base + 1);
    const scaling: ScalingConfigDoc | null = autoscaling ? { min_replicas: targetReplicas, max_replicas: draw.int(targetReplicas + 1, 5), policy: "default" } : null;
    batch.specs.push({
      _id: childId(env, type),
      env_id: env,
      name: type,
      target_replicas: targetReplicas,
      target_status: cloudNative ? null : stopped ? "stop" : "start",
      max_replicas: cloudNative ? 10 : 5,
      resource_limit: plan.limit,
      resource_requests: plan.requests,
      plan_name: plan.name,
      autoscaling,
      scaling_config: scaling,
    });

    const replicas = stopped ? 0 : scaling ? draw.int(scaling.min_replicas, scaling.max_replicas) : targetReplicas;
    const unhealthy = replicas > 0 && draw.chance(0.2) ? draw.int(1, replicas) : 0;
    const success = replicas - unhealthy;
    batch.processes.push({ _id: childId(env, type), env_id: env, type, name: `${namePrefix}--${type}`, command: COMMANDS[type], replicas, success, version });

    const image = `mirrors.example.com/bkapps/${app.code}${isDefault ? "" : `-${moduleName}`}:v${version}`;
    const replicaSet = draw.token(10);
    for (let i = 0; i < replicas; i += 1) {
      const failing = i >= success;
      batch.instances.push(instance(draw, env, `${namePrefix}--${type}-${replicaSet}-${draw.token(5)}`, type, image, version, failing ? draw.pick(["failed", "pending", "starting"] as const) : "running"));
    }
    // A rolling update in progress: an instance of the previous version next to the latest.
    if (replicas > 0 && version > 1 && draw.chance(0.15)) {
      const oldImage = image.replace(/:v\d+$/, `:v${version - 1}`);
      batch.instances.push(instance(draw, env, `${namePrefix}--${type}-${draw.token(10)}-${draw.token(5)}`, type, oldImage, version - 1, "running"));
    }
  }
}

type Health = "running" | "failed" | "pending" | "starting";

/**
 * An instance's host IP: one of the CMDB demo hosts' inner IPs, so `PaasInstance.cmdbHost` links
 * in the demo. Three draws as before, so every other generated value stays what it was.
 */
function demoHostIp(a: number, b: number, c: number): string {
  return hostInnerIp((((a * 256 + b) * 254 + c) % DEMO_HOST_COUNT) + 1);
}

function instance(draw: Draw, env: string, name: string, processType: string, image: string, version: number, health: Health): InstanceDoc {
  const started = new Date(BASE_TIME + draw.int(0, 30 * 24 * 60) * 60_000);
  const common = { _id: childId(env, name), env_id: env, name, process_type: processType, image, version, host_ip: demoHostIp(draw.int(0, 15), draw.int(0, 255), draw.int(1, 254)) };
  switch (health) {
    case "running":
      return { ...common, start_time: started, state: "Running", state_message: null, rich_status: "Running", ready: true, restart_count: draw.chance(0.1) ? draw.int(1, 3) : 0, terminated_info: draw.chance(0.1) ? { exit_code: 137, reason: "OOMKilled" } : { exit_code: null, reason: null } };
    case "failed": {
      const restarts = draw.int(3, 40);
      return { ...common, start_time: started, state: "Failed", state_message: "failed with exit code 1", rich_status: "CrashLoopBackOff", ready: false, restart_count: restarts, terminated_info: { exit_code: 1, reason: "Error" } };
    }
    case "pending":
      return draw.chance(0.5)
        ? { ...common, start_time: started, state: "Pending", state_message: null, rich_status: "Pending", ready: false, restart_count: 0, terminated_info: null }
        : { ...common, start_time: null, state: "Pending", state_message: "0/6 nodes are available: 6 Insufficient cpu.", rich_status: "Pending", ready: false, restart_count: 0, terminated_info: null };
    case "starting":
      // Stored Running but not ready: shown as `Starting` (upstream's display rule).
      return { ...common, start_time: started, state: "Running", state_message: "Readiness probe failed", rich_status: "Running", ready: false, restart_count: 0, terminated_info: { exit_code: null, reason: null } };
  }
}
