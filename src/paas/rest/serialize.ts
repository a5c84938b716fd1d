import { clusterLink, displayName, displayState, failedCount, isoTime, resourceLimitQuota, targetStatus, versionNumber } from "../providers/computed";
import type { InstanceDoc, ProcessDoc, ProcessSpecDoc, ResourceQuantities } from "../collections";
import type { ProcessList } from "../providers/manager";

/**
 * The upstream response body (`ListWatcherRespSLZ`), key for key in upstream's order and with its
 * types: process `version` an integer, instance `version` a string (docs/paas.md, "Response types").
 */
export function processListBody(list: ProcessList): Record<string, unknown> {
  const moduleName = list.module.name;
  const processItems = list.processes.map((p) => processItem(p, moduleName, list.module.is_default));
  return {
    processes: {
      items: processItems,
      extra_infos: processItems.map((p) => ({ type: p.type, command: p.command, cluster_link: p.cluster_link })),
      metadata: { resource_version: list.processResourceVersion },
    },
    instances: {
      items: list.instances.map((i) => instanceItem(i, moduleName)),
      metadata: { resource_version: list.instanceResourceVersion },
    },
    process_packages: list.specs.map((s) => processPackage(s, list.app.type)),
  };
}

export function processItem(p: ProcessDoc, moduleName: string, moduleIsDefault: boolean) {
  return {
    module_name: moduleName,
    name: p.name,
    type: p.type,
    command: p.command ?? "",
    replicas: p.replicas,
    success: p.success,
    failed: failedCount(p),
    version: versionNumber(p.version),
    cluster_link: clusterLink(p.env_id, p.type, moduleIsDefault),
  };
}

export function instanceItem(i: InstanceDoc, moduleName: string) {
  return {
    module_name: moduleName,
    name: i.name,
    process_type: i.process_type,
    display_name: displayName(i.name),
    image: i.image ?? "",
    start_time: isoTime(i.start_time),
    state: displayState(i),
    state_message: i.state_message ?? null,
    rich_status: i.rich_status,
    ready: i.ready,
    restart_count: i.restart_count ?? 0,
    terminated_info: i.terminated_info ? { exit_code: i.terminated_info.exit_code ?? null, reason: i.terminated_info.reason ?? null } : {},
    version: String(versionNumber(i.version)),
  };
}

const quantities = (q: ResourceQuantities) => ({ cpu: q.cpu, memory: q.memory });

function processPackage(s: ProcessSpecDoc, appType: Parameters<typeof targetStatus>[1]) {
  return {
    name: s.name,
    target_replicas: s.target_replicas,
    target_status: targetStatus(s, appType),
    max_replicas: s.max_replicas,
    resource_limit: quantities(s.resource_limit),
    resource_requests: quantities(s.resource_requests),
    plan_name: s.plan_name,
    resource_limit_quota: resourceLimitQuota(s.resource_limit),
    autoscaling: s.autoscaling,
    scaling_config: s.scaling_config
      ? { min_replicas: s.scaling_config.min_replicas, max_replicas: s.scaling_config.max_replicas, policy: s.scaling_config.policy }
      : null,
  };
}
