import "reflect-metadata";
import { graphql, type GraphQLResolveInfo } from "graphql";
import { buildSchema, Field, Int, ObjectType, Query, Resolver, Arg, Info } from "type-graphql";
import { MongoAlways, MongoFields, projectionFromInfo, type Projection } from "../../src/graphql/projection";

@MongoAlways("widget_id")
@ObjectType("TestWidget")
class Widget {
  @MongoFields(["name"])
  @Field()
  name!: string;

  @MongoFields(["dims.w", "dims.h"])
  @Field(() => Int)
  area!: number;

  @MongoFields((args) => (Array.isArray(args.names) ? (args.names as string[]) : "all"))
  @Field(() => String)
  attributes(@Arg("names", () => [String], { nullable: true }) _names?: string[]): string {
    return "";
  }

  @Field(() => String)
  computedWithoutStorage!: string;
}

@ObjectType("TestWidgetEdge")
class WidgetEdge {
  @Field(() => Widget)
  node!: Widget;
}

@ObjectType("TestWidgetConnection")
class WidgetConnection {
  @Field(() => [WidgetEdge])
  edges!: WidgetEdge[];
}

let seen: Projection | undefined;

@Resolver()
class WidgetResolver {
  @Query(() => Widget, { nullable: true })
  widget(@Info() info: GraphQLResolveInfo): null {
    seen = projectionFromInfo(info, { extra: ["owner_id"] });
    return null;
  }

  @Query(() => WidgetConnection, { nullable: true })
  widgets(@Arg("first", () => Int, { nullable: true }) _first: number | undefined, @Info() info: GraphQLResolveInfo): null {
    seen = projectionFromInfo(info, { path: ["edges", "node"] });
    return null;
  }
}

const sorted = (projection: Projection | undefined) => (projection === "all" || projection === undefined ? projection : [...projection].sort());

describe("projectionFromInfo", () => {
  let schema: Awaited<ReturnType<typeof buildSchema>>;
  beforeAll(async () => {
    schema = await buildSchema({ resolvers: [WidgetResolver], validate: false });
  });
  const run = async (source: string, variableValues?: Record<string, unknown>) => {
    seen = undefined;
    const result = await graphql({ schema, source, variableValues });
    expect(result.errors).toBeUndefined();
    return sorted(seen);
  };

  it("maps the selected fields to their stored fields, plus the type's keys and the resolver's extras", async () => {
    expect(await run("{ widget { name computedWithoutStorage } }")).toEqual(["name", "owner_id", "widget_id"]);
  });

  it("follows fragments and inline fragments", async () => {
    expect(await run("{ widget { ...F ... on TestWidget { name } } } fragment F on TestWidget { area }")).toEqual(["dims.h", "dims.w", "name", "owner_id", "widget_id"]);
  });

  it("lets a field's needs depend on its arguments (variables resolved)", async () => {
    expect(await run("{ widget { attributes } }")).toBe("all");
    expect(await run("query($n: [String!]) { widget { attributes(names: $n) } }", { n: ["color", "size"] })).toEqual(["color", "owner_id", "size", "widget_id"]);
  });

  it("descends a connection path to the node's selection", async () => {
    expect(await run("{ widgets(first: 2) { edges { node { name } } } }")).toEqual(["name", "widget_id"]);
  });
});
