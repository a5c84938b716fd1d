import "reflect-metadata";
import { execute, parse, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { Arg, buildSchema, Ctx, Field, FieldResolver, InputType, Info, Int, ObjectType, Query, Resolver, Root, type MiddlewareFn } from "type-graphql";
import { buildWithDirectResolvers } from "../../src/graphql/directResolvers";

// What the wrappers' replacements must keep: the property a renamed field reads, the method's
// arguments and instance, and type-graphql's own conversions where the replacement steps aside.

@InputType()
class Window {
  @Field(() => Int) from!: number;
}

@ObjectType()
class Thing {
  @Field() plain!: string;
  @Field({ name: "isDefault" }) is_default!: boolean;
}

const seen: { instances: Set<unknown>; windows: unknown[] } = { instances: new Set(), windows: [] };

@Resolver(() => Thing)
class ThingResolver {
  @Query(() => [Thing])
  things(): object[] {
    seen.instances.add(this);
    return [{ plain: "a", is_default: true, isDefault: "wrong" }, { plain: "b", is_default: false }];
  }

  @FieldResolver(() => String)
  label(@Root() thing: { plain: string }, @Ctx() ctx: { prefix: string }, @Info() info: { fieldName: string }): string {
    seen.instances.add(this);
    return `${ctx.prefix}${thing.plain}:${info.fieldName}`;
  }

  @FieldResolver(() => String)
  repeated(@Arg("times", () => Int) times: number, @Root("plain") plain: string, @Ctx("prefix") prefix: string): string {
    return prefix + plain.repeat(times);
  }

  @FieldResolver(() => Int)
  start(@Arg("window", () => Window) window: Window): number {
    seen.windows.push(window);
    return window.from;
  }
}

const query = parse(`{ things { plain isDefault label repeated(times: 2) start(window: { from: 3 }) } }`);
const expected = {
  things: [
    { plain: "a", isDefault: true, label: ">a:label", repeated: ">aa", start: 3 },
    { plain: "b", isDefault: false, label: ">b:label", repeated: ">bb", start: 3 },
  ],
};

async function run(schema: GraphQLSchema) {
  return execute({ schema, document: query, contextValue: { prefix: ">" } });
}

describe("type-graphql's field wrappers replaced by direct resolvers", () => {
  beforeEach(() => {
    seen.instances.clear();
    seen.windows = [];
  });

  it("answers as type-graphql's wrappers do, without them where they do nothing", async () => {
    const schema = await buildWithDirectResolvers(() => buildSchema({ resolvers: [ThingResolver], validate: false }));
    expect(await run(schema)).toEqual({ data: expected });
    const fields = (schema.getType("Thing") as GraphQLObjectType).getFields();
    // Same name: graphql's default resolver. Renamed: reads the property, not the schema name.
    expect(fields.plain.resolve).toBeUndefined();
    expect(fields.isDefault.resolve?.({ is_default: true, isDefault: "wrong" }, {}, {}, {} as never)).toBe(true);
    // One instance of the resolver class for the query (type-graphql's wrapper) and the direct calls: the build's container.
    expect(seen.instances.size).toBe(1);
    expect([...seen.instances][0]).toBeInstanceOf(ThingResolver);
    // An input-type argument is still converted by type-graphql into its class.
    expect(seen.windows).toHaveLength(2);
    for (const window of seen.windows) expect(window).toBeInstanceOf(Window);
  });

  it("keeps every wrapper when the build has global middlewares", async () => {
    const calls: string[] = [];
    const middleware: MiddlewareFn = ({ info }, next) => {
      calls.push(`${info.parentType.name}.${info.fieldName}`);
      return next();
    };
    const schema = await buildWithDirectResolvers(() => buildSchema({ resolvers: [ThingResolver], validate: false, globalMiddlewares: [middleware] }));
    expect(await run(schema)).toEqual({ data: expected });
    expect(calls.filter((c) => c === "Thing.plain")).toHaveLength(2);
    expect(calls.filter((c) => c === "Thing.label")).toHaveLength(2);
  });

  it("gives the same answers as a plain type-graphql build", async () => {
    const plain = await buildSchema({ resolvers: [ThingResolver], validate: false });
    expect(await run(plain)).toEqual({ data: expected });
  });
});
