import { Long, type Document } from "mongodb";
import type { ProgressReporter } from "../../seed/progress";
import { CmdbCollection, type CmdbCollectionName } from "../collections";
import { DEMO_HOST_COUNT, hostInnerIp, hostIpv4 as ipv4 } from "../../seed/hosts";
import { prng } from "../../seed/random";

export interface CmdbSeedOptions {
  /** Normal businesses (besides the resource pool, bk_biz_id 1). */
  businesses: number;
  /** Normal sets per business (besides the idle pool). */
  sets: number;
  /** Normal modules per set. */
  modules: number;
  hosts: number;
  processes: number;
  /** PRNG seed: the same options give the same data. */
  seed: number;
  /** `bk_supplier_account` of every document. */
  owner: string;
  /** Documents per insertMany. */
  batchSize: number;
}

export const DEFAULT_SEED_OPTIONS: CmdbSeedOptions = { businesses: 3, sets: 2, modules: 2, hosts: DEMO_HOST_COUNT, processes: 200, seed: 1, owner: "0", batchSize: 2000 };

/** Where generated documents go: a collection name (without prefix) and a batch. */
export type SeedSink = (collection: CmdbCollectionName, documents: Document[]) => Promise<void>;

const i64 = (n: number) => Long.fromNumber(n);
const FUNC_NAMES = ["nginx", "java", "python3", "redis-server", "mysqld", "gse_agent", "node", "gunicorn", "celery", "zookeeper", "kafka", "etcd"];
const USERS = ["root", "nobody", "app", "www-data"];
const ENVS = ["1", "2", "3"];

/** bk-cmdb stores IPv6 in the full 8-group form. */
function ipv6(hostId: number): string {
  const groups = ["fd00", "0000", "0000", "0000", "0000", "0000", ((hostId >> 16) & 0xffff).toString(16), (hostId & 0xffff).toString(16)];
  return groups.map((g) => g.padStart(4, "0")).join(":");
}

/** Buffers documents per collection and writes them in batches. */
class Batcher {
  private readonly buffers = new Map<CmdbCollectionName, Document[]>();
  constructor(
    private readonly sink: SeedSink,
    private readonly size: number,
  ) {}

  async add(collection: CmdbCollectionName, document: Document): Promise<void> {
    let buffer = this.buffers.get(collection);
    if (!buffer) this.buffers.set(collection, (buffer = []));
    buffer.push(document);
    if (buffer.length >= this.size) await this.flush(collection);
  }

  async flush(collection?: CmdbCollectionName): Promise<void> {
    for (const name of collection ? [collection] : [...this.buffers.keys()]) {
      const buffer = this.buffers.get(name);
      if (buffer && buffer.length > 0) {
        this.buffers.set(name, []);
        await this.sink(name, buffer);
      }
    }
  }
}

/**
 * A deterministic bk-cmdb dataset in upstream's layout: Int64 ids, a resource-pool business, per
 * business an idle pool set with idle/fault/recycle modules and normal sets and modules, hosts
 * with several IPv4 addresses and some IPv6 (full form), service instances with several processes,
 * bind_info rows, process templates, about 3% processes without a relation row, and a
 * user-defined process attribute (`custom_level`) declared in cc_ObjAttDes.
 */
export async function generateCmdbData(options: CmdbSeedOptions, sink: SeedSink, progress?: ProgressReporter): Promise<void> {
  const random = prng(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const out = new Batcher(sink, options.batchSize);
  const owner = options.owner;
  const base = new Date(Date.UTC(2026, 0, 1));
  const time = (offsetHours: number) => new Date(base.getTime() + offsetHours * 3_600_000);

  await out.add(CmdbCollection.attribute, { bk_obj_id: "process", bk_property_id: "custom_level", bk_property_name: "level", bk_property_type: "int", ispre: false, bk_supplier_account: owner });
  await out.add(CmdbCollection.attribute, { bk_obj_id: "process", bk_property_id: "owner_team", bk_property_name: "team", bk_property_type: "singlechar", ispre: false, bk_supplier_account: owner });

  // Hosts: several inner IPv4s for some, IPv6 for a third, a few without agent.
  const hosts: Array<{ id: number; ip: string }> = [];
  for (let id = 1; id <= options.hosts; id += 1) {
    const ips = [hostInnerIp(id)];
    if (random() < 0.3) ips.push(ipv4(id, 172));
    const hasV6 = random() < 0.35;
    hosts.push({ id, ip: ips.join(",") });
    await out.add(CmdbCollection.host, {
      bk_host_id: i64(id),
      bk_host_name: `host-${id}`,
      bk_cloud_id: i64(random() < 0.9 ? 0 : 1),
      bk_host_innerip: ips,
      bk_host_outerip: random() < 0.2 ? [ipv4(id, 203)] : null,
      bk_host_innerip_v6: hasV6 ? [ipv6(id)] : null,
      bk_host_outerip_v6: null,
      bk_addressing: random() < 0.8 ? "static" : "dynamic",
      bk_agent_id: random() < 0.9 ? `0200000000${id.toString(16).padStart(14, "0")}` : "",
      bk_os_type: "1",
      bk_os_name: "linux centos",
      operator: ["admin"],
      bk_bak_operator: null,
      bk_supplier_account: owner,
      create_time: time(0),
      last_time: time(id % 48),
    });
  }

  await out.add(CmdbCollection.business, { bk_biz_id: i64(1), bk_biz_name: "资源池", default: 1, life_cycle: "2", bk_biz_maintainer: "admin", bk_supplier_account: owner, create_time: time(0), last_time: time(0) });

  let setId = 0;
  let moduleId = 0;
  let templateId = 0;
  const businesses: Array<{ id: number; modules: Array<{ id: number; templates: Array<{ id: number; name: string; func: string }> }> }> = [];
  for (let b = 0; b < options.businesses; b += 1) {
    const bizId = b + 2;
    await out.add(CmdbCollection.business, {
      bk_biz_id: i64(bizId),
      bk_biz_name: `business-${bizId}`,
      default: 0,
      life_cycle: "2",
      bk_biz_maintainer: "admin",
      bk_biz_productor: "pm",
      time_zone: "Asia/Shanghai",
      language: "1",
      bk_supplier_account: owner,
      create_time: time(b),
      last_time: time(b + 1),
    });
    const modules: (typeof businesses)[number]["modules"] = [];
    // The idle pool with its built-in modules (default 1 idle, 2 fault, 3 recycle).
    setId += 1;
    const idleSet = setId;
    await out.add(CmdbCollection.set, { bk_set_id: i64(idleSet), bk_set_name: "空闲机池", bk_biz_id: i64(bizId), bk_parent_id: i64(bizId), bk_set_env: "3", bk_service_status: "1", default: 1, bk_supplier_account: owner, create_time: time(b), last_time: time(b) });
    for (const [name, builtIn] of [["空闲机", 1], ["故障机", 2], ["待回收", 3]] as const) {
      moduleId += 1;
      await out.add(CmdbCollection.module, { bk_module_id: i64(moduleId), bk_module_name: name, bk_set_id: i64(idleSet), bk_parent_id: i64(idleSet), bk_biz_id: i64(bizId), default: builtIn, service_template_id: i64(0), service_category_id: i64(1), set_template_id: i64(0), bk_module_type: "1", host_apply_enabled: false, bk_supplier_account: owner, create_time: time(b), last_time: time(b) });
    }
    for (let s = 0; s < options.sets; s += 1) {
      setId += 1;
      await out.add(CmdbCollection.set, { bk_set_id: i64(setId), bk_set_name: `set-${s + 1}`, bk_biz_id: i64(bizId), bk_parent_id: i64(bizId), bk_set_env: pick(ENVS), bk_service_status: "1", default: 0, set_template_id: i64(0), bk_capacity: 100, description: "", bk_supplier_account: owner, create_time: time(b), last_time: time(b + s) });
      for (let m = 0; m < options.modules; m += 1) {
        moduleId += 1;
        const fromTemplate = random() < 0.7;
        const serviceTemplateId = fromTemplate ? moduleId : 0;
        const templates: Array<{ id: number; name: string; func: string }> = [];
        if (fromTemplate) {
          const count = 1 + Math.floor(random() * 3);
          for (let t = 0; t < count; t += 1) {
            templateId += 1;
            const func = FUNC_NAMES[(moduleId + t) % FUNC_NAMES.length];
            const name = `${func}-tpl${t + 1}`;
            templates.push({ id: templateId, name, func });
            await out.add(CmdbCollection.processTemplate, {
              id: i64(templateId),
              bk_process_name: name,
              bk_biz_id: i64(bizId),
              service_template_id: i64(serviceTemplateId),
              creator: "admin",
              modifier: "admin",
              bk_supplier_account: owner,
              create_time: time(b),
              last_time: time(b),
              property: {
                bk_func_name: { value: func, as_default_value: true },
                bk_process_name: { value: name, as_default_value: true },
                priority: { value: 1, as_default_value: true },
                bind_info: { as_default_value: true, value: [{ row_id: 1, ip: { value: "3", as_default_value: true }, port: { value: String(8000 + t), as_default_value: true }, protocol: { value: "1", as_default_value: true }, enable: { value: true, as_default_value: true } }] },
              },
            });
          }
        }
        modules.push({ id: moduleId, templates });
        await out.add(CmdbCollection.module, { bk_module_id: i64(moduleId), bk_module_name: `module-${s + 1}-${m + 1}`, bk_set_id: i64(setId), bk_parent_id: i64(setId), bk_biz_id: i64(bizId), default: 0, service_template_id: i64(serviceTemplateId), service_category_id: i64(2), set_template_id: i64(0), bk_module_type: "1", operator: "admin", bk_bak_operator: "", host_apply_enabled: false, bk_supplier_account: owner, create_time: time(b), last_time: time(b + m) });
      }
    }
    businesses.push({ id: bizId, modules });
  }

  // Service instances with 1..4 processes each, until the process count is reached.
  progress?.start("cmdb processes", options.processes);
  let processId = 0;
  let instanceId = 0;
  while (processId < options.processes && businesses.length > 0 && hosts.length > 0) {
    const business = businesses[instanceId % businesses.length];
    const module = pick(business.modules);
    if (!module) break;
    const host = pick(hosts);
    instanceId += 1;
    const count = Math.min(options.processes - processId, module.templates.length || 1 + Math.floor(random() * 4));
    const funcs = [...FUNC_NAMES].sort(() => random() - 0.5);
    let firstName = "";
    let firstPort = "";
    for (let k = 0; k < count; k += 1) {
      processId += 1;
      const template = module.templates[k];
      const func = template?.func ?? funcs[k % funcs.length];
      const name = template?.name ?? `${func}-${k + 1}`;
      const port = String(8000 + Math.floor(random() * 2000));
      const bindInfo = random() < 0.85 ? [{ enable: random() < 0.7, ip: host.ip.split(",")[0], port: random() < 0.1 ? `${port}-${Number(port) + 9}` : port, protocol: pick(["1", "2"]), template_row_id: template ? 1 : 0 }] : [];
      if (k === 0) {
        firstName = name;
        firstPort = bindInfo[0]?.port ?? "";
      }
      const created = time(24 + (processId % 5000));
      const process: Document = {
        bk_process_id: i64(processId),
        bk_process_name: name,
        bk_func_name: func,
        bk_biz_id: i64(business.id),
        service_instance_id: i64(instanceId),
        description: "",
        bk_start_param_regex: "",
        work_path: `/data/${func}`,
        user: pick(USERS),
        proc_num: 1 + Math.floor(random() * 4),
        priority: 1 + Math.floor(random() * 10),
        timeout: 30,
        bk_start_check_secs: 5,
        start_cmd: `./start_${func}.sh`,
        stop_cmd: `./stop_${func}.sh`,
        restart_cmd: "",
        face_stop_cmd: "",
        reload_cmd: "",
        pid_file: `/var/run/${func}.pid`,
        auto_start: random() < 0.5,
        bind_info: bindInfo,
        custom_level: 1 + Math.floor(random() * 5),
        bk_supplier_account: owner,
        create_time: created,
        last_time: created,
      };
      // Documents written before v3.12 have no bk_created_at / bk_updated_at.
      if (random() < 0.5) Object.assign(process, { bk_created_at: created, bk_updated_at: created, bk_created_by: "admin", bk_updated_by: "admin" });
      if (random() < 0.3) process.owner_team = pick(["ops", "dba", "sre"]);
      await out.add(CmdbCollection.process, process);
      // About 3% lack their relation row (upstream returns them with zero-valued joins).
      if (random() >= 0.03) {
        await out.add(CmdbCollection.relation, { bk_biz_id: i64(business.id), bk_process_id: i64(processId), service_instance_id: i64(instanceId), process_template_id: i64(template?.id ?? 0), bk_host_id: i64(host.id), bk_supplier_account: owner });
      }
      progress?.tick();
    }
    await out.add(CmdbCollection.serviceInstance, {
      id: i64(instanceId),
      name: [host.ip, firstName, firstPort].filter((part) => part !== "").join("_"),
      bk_biz_id: i64(business.id),
      bk_module_id: i64(module.id),
      bk_host_id: i64(host.id),
      service_template_id: i64(module.templates.length > 0 ? module.id : 0),
      labels: random() < 0.3 ? { env: "prod", tier: pick(["web", "db", "cache"]) } : {},
      creator: "admin",
      modifier: "admin",
      bk_supplier_account: owner,
      create_time: time(24),
      last_time: time(24),
    });
  }
  await out.flush();
  progress?.done();
}
