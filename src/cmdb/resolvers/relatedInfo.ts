import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import type { MaybePromise } from "../../graphql/maybePromise";
import type { RequestContext } from "../../graphql/context";
import type { HostDoc, ModuleDoc, ProcessDoc, ProcessTemplateDoc, ServiceInstanceDoc, SetDoc } from "../collections";
import { badUserInput, ErrorCode } from "../../graphql/errors";
import { projectionFromInfo, unionProjection } from "../../graphql/projection";
import { BkErrorCode, CmdbApiError } from "../providers/errors";
import { CmdbManager } from "../providers/manager";
import { listProcessRelatedInfo, relatedJoins } from "../providers/relatedInfo";
import { processObject, processProjectionForFields } from "../rest/relatedInfoJson";
import { JSONObject, SafeInt } from "../types/common";
import { CmdbHost } from "../types/host";
import { CmdbModule } from "../types/module";
import { CmdbProcess } from "../types/process";
import { CmdbProcessTemplate } from "../types/processTemplate";
import {
  CmdbRelatedInfoModuleInput,
  CmdbRelatedInfoPageInput,
  CmdbRelatedInfoProcessInput,
  CmdbRelatedInfoServiceInstanceInput,
  CmdbRelatedInfoSetInput,
} from "../types/inputs";
import { CmdbProcessRelatedInfo } from "../types/relatedInfo";
import { CmdbProcessRelatedInfoItem, type RelatedInfoItemValue } from "../types/relatedInfoItem";
import { CmdbServiceInstance } from "../types/serviceInstance";
import { CmdbSet } from "../types/set";
import { isSelected } from "./selection";

/** An upstream error as a GraphQL error: BAD_USER_INPUT for validation, with the bk code (docs/cmdb.md, "`cmdbProcessRelatedInfo`"). */
function toGraphQLError(error: CmdbApiError, ctx: RequestContext): GraphQLError {
  if (error.code === BkErrorCode.HttpRequestFailed) {
    ctx.logger.error({ err: error.cause }, "cmdbProcessRelatedInfo failed");
    return new GraphQLError(error.message, { extensions: { code: ErrorCode.Internal, bkErrorCode: error.code } });
  }
  return badUserInput(error.message, { bkErrorCode: error.code });
}

@Resolver(() => CmdbProcessRelatedInfoItem)
export class CmdbProcessRelatedInfoResolver {
  @Query(() => CmdbProcessRelatedInfo, {
    description: "bk-cmdb's list_process_related_info: the processes of a business with their set, module, host, service instance and template (docs/cmdb.md).",
  })
  async cmdbProcessRelatedInfo(
    @Arg("bkBizId", () => SafeInt) bkBizId: number,
    @Arg("set", () => CmdbRelatedInfoSetInput, { nullable: true }) set: CmdbRelatedInfoSetInput | null,
    @Arg("module", () => CmdbRelatedInfoModuleInput, { nullable: true }) module: CmdbRelatedInfoModuleInput | null,
    @Arg("serviceInstance", () => CmdbRelatedInfoServiceInstanceInput, { nullable: true }) serviceInstance: CmdbRelatedInfoServiceInstanceInput | null,
    @Arg("process", () => CmdbRelatedInfoProcessInput, { nullable: true }) process: CmdbRelatedInfoProcessInput | null,
    @Arg("processPropertyFilter", () => JSONObject, { nullable: true, description: "The querybuilder rule tree over stored process fields." })
    processPropertyFilter: Record<string, unknown> | null,
    @Arg("fields", () => [String], { nullable: true, description: "Stored process fields of `processDocument` (empty: all)." }) fields: string[] | null,
    @Arg("page", () => CmdbRelatedInfoPageInput, { nullable: true, description: "Required; `limit` 1..500." }) page: CmdbRelatedInfoPageInput | null,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<{ count: number; info: RelatedInfoItemValue[] }> {
    // The GraphQL arguments in the REST body's shape: one validation for both.
    const body = {
      set: set && { bk_set_ids: set.bkSetIds },
      module: module && { bk_module_ids: module.bkModuleIds },
      service_instance: serviceInstance && { ids: serviceInstance.ids },
      process: process && { bk_process_names: process.bkProcessNames, bk_func_ids: process.bkFuncIds, bk_process_ids: process.bkProcessIds },
      process_property_filter: processPropertyFilter,
      fields,
      page: page && { start: page.start, limit: page.limit, sort: page.sort },
    };
    const store = CmdbManager.of(ctx).store;
    try {
      const selected = projectionFromInfo(info, { path: ["info", "process"] });
      const document = isSelected(info, ["info", "processDocument"]);
      const { query, result } = await listProcessRelatedInfo(store, bkBizId, body, (request) =>
        document ? unionProjection(selected, processProjectionForFields(request.fields)) : selected,
      );
      return {
        count: result.count,
        info: result.rows.map((row) => ({ bizId: query.bizId, fields: query.fields, process: row.process, relation: row.relation })),
      };
    } catch (error) {
      if (error instanceof CmdbApiError) throw toGraphQLError(error, ctx);
      throw error;
    }
  }

  @FieldResolver(() => CmdbServiceInstance, { nullable: true })
  serviceInstance(@Root() item: RelatedInfoItemValue, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ServiceInstanceDoc | null> {
    return relatedJoins.serviceInstance(CmdbManager.of(ctx).store, item.bizId, item.relation, projectionFromInfo(info));
  }

  @FieldResolver(() => CmdbModule, { nullable: true })
  module(@Root() item: RelatedInfoItemValue, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ModuleDoc | null> {
    return relatedJoins.module(CmdbManager.of(ctx).store, item.bizId, item.relation, projectionFromInfo(info));
  }

  @FieldResolver(() => CmdbSet, { nullable: true })
  set(@Root() item: RelatedInfoItemValue, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<SetDoc | null> {
    return relatedJoins.set(CmdbManager.of(ctx).store, item.bizId, item.relation, projectionFromInfo(info));
  }

  @FieldResolver(() => CmdbHost, { nullable: true })
  host(@Root() item: RelatedInfoItemValue, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<HostDoc | null> {
    return relatedJoins.host(CmdbManager.of(ctx).store, item.relation, projectionFromInfo(info));
  }

  @FieldResolver(() => CmdbProcessTemplate, { nullable: true })
  processTemplate(@Root() item: RelatedInfoItemValue, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): MaybePromise<ProcessTemplateDoc | null> {
    // process_template_id 0 (not from a template) is null (docs/cmdb.md, "`cmdbProcessRelatedInfo`").
    return CmdbManager.of(ctx).one("processTemplate", item.relation?.process_template_id || undefined, info);
  }

  @FieldResolver(() => CmdbProcess)
  process(@Root() item: RelatedInfoItemValue): ProcessDoc {
    return item.process;
  }

  @FieldResolver(() => JSONObject)
  processDocument(@Root() item: RelatedInfoItemValue): Record<string, unknown> {
    return processObject(item.process, item.fields);
  }
}
