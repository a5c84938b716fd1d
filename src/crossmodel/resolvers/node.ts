import type { GraphQLResolveInfo } from "graphql";
import type { Document } from "mongodb";
import { Arg, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Node, type TypedDocument } from "../../graphql/node";
import { MAX_IDS_PER_CALL } from "../../graphql/limits";

@Resolver(() => Node)
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: "Any entity by its global id; null when there is none or it is outside the caller's scope." })
  async node(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<TypedDocument | null> {
    const [node] = await ctx.nodes.load(ctx, [id], info, "id");
    return node;
  }

  @Query(() => [Node], {
    nullable: "items",
    description: `Entities by global id (at most ${MAX_IDS_PER_CALL}, any mix of types): in the order of \`ids\`, null for a miss; one query per type.`,
  })
  nodes(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Array<TypedDocument | null>> {
    return ctx.nodes.load(ctx, ids, info, "ids");
  }

  /** Inherited by every type implementing Node: the concrete type comes from where the field is resolved. */
  @FieldResolver(() => ID)
  id(@Root() document: Document, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): string {
    return ctx.nodes.globalIdOf(info.parentType.name, document);
  }
}
