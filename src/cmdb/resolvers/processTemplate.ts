import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import { Prefetched } from "../../graphql/prefetch";
import type { RequestContext } from "../../graphql/context";
import type { BusinessDoc, ProcessDoc, ProcessTemplateDoc } from "../collections";
import { CmdbManager, equalities } from "../providers/manager";
import { CmdbBusiness } from "../types/business";
import type { ConnectionValue } from "../../graphql/connection";
import { SafeInt } from "../types/common";
import { CmdbProcess } from "../types/process";
import { CmdbProcessTemplate, CmdbProcessTemplateConnection } from "../types/processTemplate";
import { byIdResolver } from "./base";

@Resolver(() => CmdbProcessTemplate)
export class CmdbProcessTemplateResolver extends byIdResolver("processTemplate", CmdbProcessTemplate, {
  one: "cmdbProcessTemplate",
  many: "cmdbProcessTemplates",
  label: "CMDB process template",
}) {
  @Query(() => CmdbProcessTemplateConnection, { description: "Process templates, by ascending id." })
  cmdbProcessTemplateList(
    @Arg("bkBizId", () => SafeInt, { nullable: true }) bkBizId: number | null,
    @Arg("serviceTemplateId", () => SafeInt, { nullable: true }) serviceTemplateId: number | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size: 1..500, default 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<ProcessTemplateDoc>> {
    const filter = equalities({ bk_biz_id: bkBizId, service_template_id: serviceTemplateId });
    return CmdbManager.of(ctx).page("processTemplate", filter, { first, after }, info);
  }

  @Prefetched()
  @FieldResolver(() => CmdbBusiness, { nullable: true })
  business(@Root() template: ProcessTemplateDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<BusinessDoc | null> {
    return CmdbManager.of(ctx).one("business", template.bk_biz_id, info);
  }

  @Prefetched()
  @FieldResolver(() => [CmdbProcess], { description: "The processes created from this template, by ascending bk_process_id." })
  processes(@Root() template: ProcessTemplateDoc, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessDoc[]> {
    return CmdbManager.of(ctx).processesBy("process_template_id", template.id, info);
  }
}
