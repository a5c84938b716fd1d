import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { CmdbGraph, equalities } from "../providers/graph";
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
  ): Promise<ConnectionValue<Document>> {
    const filter = equalities({ bk_biz_id: bkBizId, service_template_id: serviceTemplateId });
    return CmdbGraph.of(ctx).page("processTemplate", filter, { first, after }, info);
  }

  @FieldResolver(() => CmdbBusiness, { nullable: true })
  business(@Root() template: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document | null> {
    return CmdbGraph.of(ctx).one("business", template.bk_biz_id, info);
  }

  @FieldResolver(() => [CmdbProcess], { description: "The processes created from this template, by ascending bk_process_id." })
  processes(@Root() template: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document[]> {
    return CmdbGraph.of(ctx).processesBy("process_template_id", template.id, info);
  }
}
