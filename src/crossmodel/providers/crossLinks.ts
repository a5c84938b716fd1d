import type { Document } from "mongodb";
import { CmdbStore } from "../../cmdb/providers/store";
import type { RequestContext } from "../../graphql/context";
import type { Projection } from "../../graphql/projection";
import type { AppDoc, InstanceDoc } from "../../paas/collections";
import { PaasStore } from "../../paas/providers/store";
import { CrossModelStore } from "./store";

/**
 * The links between the two models, each batched through the request's loaders and each applying
 * the caller's scope on the side it reaches (the side it starts from was scoped when it was read).
 */
export class CrossLinks {
  private constructor(private readonly ctx: RequestContext) {}

  static of(ctx: RequestContext): CrossLinks {
    return ctx.loaders.get("graph:crossLinks", () => new CrossLinks(ctx));
  }

  /** The CMDB host whose inner IPs include the instance's host IP (the lowest bk_host_id if several); null without one. */
  async hostOfInstance(instance: Pick<InstanceDoc, "host_ip">, projection: Projection): Promise<Document | null> {
    if (typeof instance.host_ip !== "string" || instance.host_ip === "") return null;
    const hosts = await CmdbStore.of(this.ctx).hostsWithInnerIp(instance.host_ip, projection);
    return hosts[0] ?? null;
  }

  /** The PaaS instances whose host IP is one of the host's inner IPs, by key (each once). */
  async instancesOnHost(host: Document, projection: Projection): Promise<InstanceDoc[]> {
    const ips = Array.isArray(host.bk_host_innerip) ? (host.bk_host_innerip as unknown[]).filter((ip): ip is string => typeof ip === "string") : [];
    const store = PaasStore.of(this.ctx);
    const lists = await Promise.all(ips.map((ip) => store.instancesOnHostIp(ip, projection)));
    const byKey = new Map<string, InstanceDoc>();
    for (const instance of lists.flat()) byKey.set(instance._id, instance);
    return [...byKey.values()].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  }

  /** The CMDB business an app is linked to (`npm run link`); null without a link or outside the scope. */
  async businessOfApp(app: Pick<AppDoc, "_id">, projection: Projection): Promise<Document | null> {
    const bizId = await CrossModelStore.of(this.ctx).businessOfApp(app._id);
    if (bizId === undefined) return null;
    const [business] = await CmdbStore.of(this.ctx).inScope("business", [bizId], projection);
    return business;
  }

  /** The PaaS apps linked to a business, by code, limited to the caller's apps. */
  async appsOfBusiness(business: Document, projection: Projection): Promise<AppDoc[]> {
    if (typeof business.bk_biz_id !== "number") return [];
    const codes = await CrossModelStore.of(this.ctx).appsOfBusiness(business.bk_biz_id);
    const store = PaasStore.of(this.ctx);
    const apps = await Promise.all(codes.map((code) => store.app(code, projection)));
    return apps.filter((app): app is AppDoc => app !== null);
  }
}
