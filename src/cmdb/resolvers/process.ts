import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import { badUserInput } from "../../graphql/errors";
import { MongoFields } from "../../graphql/projection";
import type { BusinessDoc, HostDoc, ProcessDoc, ProcessTemplateDoc, ServiceInstanceDoc } from "../collections";
import { CmdbManager, equalities } from "../providers/manager";
import { toUpstreamJson } from "../rest/relatedInfoJson";
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
  ): Promise<ConnectionValue<ProcessDoc>> {
    const filter = equalities({ bk_biz_id: bkBizId, bk_process_name: bkProcessName, bk_func_name: bkFuncName, service_instance_id: serviceInstanceId });
    return CmdbManager.of(ctx).page("process", filter, { first, after }, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbBusiness, { nullable: true })
  business(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<BusinessDoc | null> {
    return CmdbManager.of(ctx).one("business", process.bk_biz_id, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbServiceInstance, { nullable: true, description: "From the process's cc_ProcessInstanceRelation row; null without one." })
  serviceInstance(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ServiceInstanceDoc | null> {
    return CmdbManager.of(ctx).throughRelation("serviceInstance", process.bk_process_id, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbHost, { nullable: true, description: "From the process's cc_ProcessInstanceRelation row; null without one." })
  host(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<HostDoc | null> {
    return CmdbManager.of(ctx).throughRelation("host", process.bk_process_id, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbProcessTemplate, { nullable: true, description: "The template the process was created from; null for a hand-made process." })
  processTemplate(@Root() process: ProcessDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessTemplateDoc | null> {
    return CmdbManager.of(ctx).throughRelation("processTemplate", process.bk_process_id, info);
  }

  @FieldResolver(() => DateTime, { nullable: true, description: "`bk_created_at`, or `create_time` where it is missing (as upstream backfills it)." })
  @MongoFields(["bk_created_at", "create_time"])
  bkCreatedAt(@Root() process: ProcessDoc): Date | null {
    return process.bk_created_at ?? process.create_time ?? null;
  }

  @FieldResolver(() => DateTime, { nullable: true, description: "`bk_updated_at`, or `last_time` where it is missing (as upstream backfills it)." })
  @MongoFields(["bk_updated_at", "last_time"])
  bkUpdatedAt(@Root() process: ProcessDoc): Date | null {
    return process.bk_updated_at ?? process.last_time ?? null;
  }

  @FieldResolver(() => JSONObject, {
    description:
      "User-defined attributes (declared in cc_ObjAttDes for `process`, beyond the standard ones): `names` or all of them, keyed by stored name; missing values are left out.",
  })
  @MongoFields((args) => (validNames(args.names) ? args.names : "all"))
  async attributes(
    @Root() process: ProcessDoc,
    @Arg("names", () => [String], { nullable: true }) names: string[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Record<string, unknown>> {
    if (names && !validNames(names)) throw badUserInput("names: attribute names match ^[a-zA-Z0-9][\\w\\-.]*$", { argumentName: "names" });
    const declared = await CmdbManager.of(ctx).userDefinedProcessAttributes();
    const unknown = (names ?? []).filter((name) => !declared.includes(name));
    if (unknown.length > 0) throw badUserInput(`names: not a user-defined process attribute: ${unknown.join(", ")}`, { argumentName: "names" });
    const result: Record<string, unknown> = {};
    for (const name of names ?? declared) if (process[name] !== undefined) result[name] = toUpstreamJson(process[name]);
    return result;
  }
}
