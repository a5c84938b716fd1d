import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import { Arg, Ctx, Info, Query, Resolver, type ClassType } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { MergePoint } from "../../graphql/stitching";
import { CmdbEntity, type CmdbEntityName } from "../collections";
import { CmdbManager, MAX_IDS } from "../providers/manager";
import { SafeInt } from "../types/common";

/**
 * The by-id and by-ids root fields every CMDB type has (`cmdbProcess(id)`, `cmdbProcesses(ids)`),
 * batched through the request's by-id loader. The by-ids field is the type's merge point for
 * stitching and federation gateways, keyed by the bk id (`bkHostId`).
 */
export function byIdResolver(entity: CmdbEntityName, type: ClassType, names: { one: string; many: string; label: string }) {
  @Resolver()
  abstract class ByIdResolver {
    @Query(() => type, { name: names.one, nullable: true, description: `A ${names.label} by id; null when there is none (or it belongs to another owner, or to a business outside the caller's scope).` })
    async one(@Arg("id", () => SafeInt) id: number, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Document | null> {
      return CmdbManager.of(ctx).root(entity, id, info);
    }

    @Query(() => [type], {
      name: names.many,
      nullable: "items",
      description: `${names.label}s by id (at most ${MAX_IDS}): in the order of \`ids\`, null for an id without one.`,
    })
    @MergePoint(type, CmdbEntity[entity].keyField, "ids")
    async many(@Arg("ids", () => [SafeInt]) ids: number[], @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Array<Document | null>> {
      return CmdbManager.of(ctx).many(entity, ids, info);
    }
  }
  return ByIdResolver;
}
