import { GraphQLError } from "graphql";
import { connectionOf, cursorCodec, pageSize } from "../../src/graphql/connection";

describe("the connection kit (src/graphql/connection.ts)", () => {
  it("reads totalCount lazily, once", async () => {
    let counts = 0;
    const page = connectionOf([1, 2, 3], 2, (n) => `c${n}`, async () => ++counts * 10);
    expect(page.nodes).toEqual([1, 2]);
    expect(page.edges).toEqual([
      { cursor: "c1", node: 1 },
      { cursor: "c2", node: 2 },
    ]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: "c2" });
    expect(counts).toBe(0);
    expect(await page.totalCount).toBe(10);
    expect(await page.totalCount).toBe(10);
    expect(counts).toBe(1);
    expect(connectionOf([], 2, String, async () => 0).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it("guards the page size with BAD_USER_INPUT on first", () => {
    expect(pageSize(undefined, { defaultSize: 20, max: 100 })).toBe(20);
    expect(pageSize(100, { defaultSize: 20, max: 100 })).toBe(100);
    for (const bad of [0, 101, 1.5, -1]) {
      const error = (() => {
        try {
          pageSize(bad, { defaultSize: 20, max: 100 });
        } catch (e) {
          return e as GraphQLError;
        }
      })();
      expect({ message: error?.message, extensions: error?.extensions }).toEqual({ message: "first: between 1 and 100", extensions: { code: "BAD_USER_INPUT", argumentName: "first" } });
    }
  });

  it("round-trips a cursor and refuses another list's, a forged and a garbage one", () => {
    const codec = cursorCodec("thing", "things", ([id]) => (typeof id === "number" ? id : undefined), (id: number) => [id]);
    const other = cursorCodec("other", "others", ([id]) => (typeof id === "number" ? id : undefined), (id: number) => [id]);
    expect(codec.decode(codec.encode(42))).toBe(42);
    expect(Buffer.from(codec.encode(42), "base64url").toString()).toBe('["thing",42]');
    for (const bad of [other.encode(42), Buffer.from('["thing",{"$gt":0}]').toString("base64url"), "%%%", ""]) {
      expect(() => codec.decode(bad)).toThrow("after: not a cursor of things");
    }
  });
});
