import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { badUserInput } from "../../graphql/errors";
import { MongoFields } from "../../graphql/projection";
import { PROCESS_KNOWN_FIELDS } from "../collections";
import { CmdbGraph, equalities } from "../providers/graph";
import { toUpstreamJson } from "../providers/relatedInfo";
import { CmdbBusiness } from "../types/business";
import type { ConnectionValue } from "../../graphql/connection";
import { DateTime, JSONObject, SafeInt } from "../types/common";
import { CmdbHost } from "../types/host";
import { CmdbProcess, CmdbProcessConnection } from "../types/process";
import { CmdbProcessTemplate } from "../types/processTemplate";
import { CmdbServiceInstance } from "../types/serviceInstance";
import { byIdResolver } from "./base";

const ATTRIBUTE_NAME = /^[a-zA-Z0-9][\w\-.]*$/;
const validNames = (names: unknown): names is string[] => Array.isArray(names) && names.every((n) => typeof n === "string" && ATTRIBUTE_NAME.test(n));

@Resolver(() => CmdbProcess)
export class CmdbProcessResolver extends byIdResolver("process", CmdbProcess, { one: "cmdbProcess", many: "cmdbProcesses", label: "CMDB process" }) {
  @Query(() => CmdbProcessConnection, { description: "Processes, by ascending bk_process_id." })
  cmdbProcessList(
    @Arg("bkBizId", () => SafeInt, { nullable: true }) bkBizId: number | null,
    @Arg("bkProcessName", () => String, { nullable: true, description: "The alias (display name), exactly." }) bkProcessName: string | null,
    @Arg("bkFuncName", () => String, { nullable: true, description: "The binary name, exactly." }) bkFuncName: string | null,
    @Arg("serviceInstanceId", () => SafeInt, { nullable: true }) serviceInstanceId: number | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size: 1..500, default 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<Document>> {
    const filter = equalities({ bk_biz_id: bkBizId, bk_process_name: bkProcessName, bk_func_name: bkFuncName, service_instance_id: serviceInstanceId });
    return CmdbGraph.of(ctx).page("process", filter, { first, after }, info);
  }

  @FieldResolver(() => CmdbBusiness, { nullable: true })
  business(@Root() process: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document | null> {
    return CmdbGraph.of(ctx).one("business", process.bk_biz_id, info);
  }

  @FieldResolver(() => CmdbServiceInstance, { nullable: true, description: "From the process's cc_ProcessInstanceRelation row; null without one." })
  async serviceInstance(@Root() process: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document | null> {
    const graph = CmdbGraph.of(ctx);
    return graph.one("serviceInstance", (await graph.relationOf(process.bk_process_id))?.service_instance_id, info);
  }

  @FieldResolver(() => CmdbHost, { nullable: true, description: "From the process's cc_ProcessInstanceRelation row; null without one." })
  async host(@Root() process: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document | null> {
    const graph = CmdbGraph.of(ctx);
    return graph.one("host", (await graph.relationOf(process.bk_process_id))?.bk_host_id, info);
  }

  @FieldResolver(() => CmdbProcessTemplate, { nullable: true, description: "The template the process was created from; null for a hand-made process." })
  async processTemplate(@Root() process: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document | null> {
    const graph = CmdbGraph.of(ctx);
    return graph.one("processTemplate", (await graph.relationOf(process.bk_process_id))?.process_template_id, info);
  }

  @FieldResolver(() => DateTime, { nullable: true, description: "`bk_created_at`, or `create_time` where it is missing (as upstream backfills it)." })
  @MongoFields(["bk_created_at", "create_time"])
  bkCreatedAt(@Root() process: Document): Date | null {
    return process.bk_created_at ?? process.create_time ?? null;
  }

  @FieldResolver(() => DateTime, { nullable: true, description: "`bk_updated_at`, or `last_time` where it is missing (as upstream backfills it)." })
  @MongoFields(["bk_updated_at", "last_time"])
  bkUpdatedAt(@Root() process: Document): Date | null {
    return process.bk_updated_at ?? process.last_time ?? null;
  }

  @FieldResolver(() => JSONObject, {
    description:
      "User-defined attributes (declared in cc_ObjAttDes for `process`, beyond the standard ones): `names` or all of them, keyed by stored name; missing values are left out.",
  })
  @MongoFields((args) => (validNames(args.names) ? args.names : "all"))
  async attributes(
    @Root() process: Document,
    @Arg("names", () => [String], { nullable: true }) names: string[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Record<string, unknown>> {
    if (names && !validNames(names)) throw badUserInput("names: attribute names match ^[a-zA-Z0-9][\\w\\-.]*$", { argumentName: "names" });
    const declared = (await CmdbGraph.of(ctx).store.processAttributes()).map((a) => String(a.bk_property_id)).filter((name) => !PROCESS_KNOWN_FIELDS.has(name));
    const unknown = (names ?? []).filter((name) => !declared.includes(name));
    if (unknown.length > 0) throw badUserInput(`names: not a user-defined process attribute: ${unknown.join(", ")}`, { argumentName: "names" });
    const result: Record<string, unknown> = {};
    for (const name of names ?? declared) if (process[name] !== undefined) result[name] = toUpstreamJson(process[name]);
    return result;
  }
}
