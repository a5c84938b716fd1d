import { DocumentListLoader, DocumentLoader, LoaderRegistry } from "../../src/graphql/loaders";
import { isPromise, NOT_READ_YET } from "../../src/graphql/maybePromise";
import { toMongoProjection } from "../../src/graphql/projection";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();

beforeAll(async () => {
  await database.db.collection("things").insertMany(
    Array.from({ length: 30 }, (_, i) => ({ thing_id: i + 1, owner_id: (i % 3) + 1, name: `thing-${i + 1}`, size: i * 10, tags: ["a", `t${i % 2}`] })),
  );
});

describe("DocumentLoader", () => {
  const loader = () => new DocumentLoader({ collection: database.db.collection("things"), keyField: "thing_id" });

  it("batches the loads of one tick into one $in query, answering in key order with null for a miss", async () => {
    const things = loader();
    const { result, commands } = await database.recordCommands(() =>
      Promise.all([7, 3, 999, 3, 12].map((id) => things.load(id, new Set(["name"])))),
    );
    expect(result).toEqual([
      { thing_id: 7, name: "thing-7" },
      { thing_id: 3, name: "thing-3" },
      null,
      { thing_id: 3, name: "thing-3" },
      { thing_id: 12, name: "thing-12" },
    ]);
    expect(commands).toHaveLength(1);
    expect(commands[0].command.filter).toEqual({ thing_id: { $in: [7, 3, 999, 12] } });
    expect(commands[0].command.projection).toEqual({ _id: 0, name: 1, thing_id: 1 });
  });

  it("projects the union of what the callers of one batch need", async () => {
    const things = loader();
    const { result, commands } = await database.recordCommands(() =>
      Promise.all([things.load(1, new Set(["name"])), things.load(2, new Set(["size"]))]),
    );
    expect(commands).toHaveLength(1);
    expect(commands[0].command.projection).toEqual({ _id: 0, name: 1, size: 1, thing_id: 1 });
    expect(result).toEqual([{ thing_id: 1, name: "thing-1", size: 0 }, { thing_id: 2, name: "thing-2", size: 10 }]);
  });

  it("serves a later load from its cache only when the cached projection covers it", async () => {
    const things = loader();
    const { commands } = await database.recordCommands(async () => {
      await things.load(5, new Set(["name"]));
      const again = await things.load(5, new Set(["name"]));
      expect(again).toEqual({ thing_id: 5, name: "thing-5" });
      const more = await things.load(5, new Set(["size"]));
      // Never the partial document: the re-read carries both what was cached and what is needed now.
      expect(more).toEqual({ thing_id: 5, name: "thing-5", size: 40 });
      await things.load(5, new Set(["name", "size"]));
    });
    expect(commands.map((c) => c.command.projection)).toEqual([
      { _id: 0, name: 1, thing_id: 1 },
      { _id: 0, name: 1, size: 1, thing_id: 1 },
    ]);
  });

  it("answers keys outside allowKey as misses (null, []) without querying them, and ignores primes of them", async () => {
    const collection = database.db.collection("things");
    const even = (key: string | number) => Number(key) % 2 === 0;
    const things = new DocumentLoader({ collection, keyField: "thing_id", allowKey: even });
    const byOwner = new DocumentListLoader({ collection, keyField: "owner_id", allowKey: even, sort: { thing_id: 1 } });
    things.prime(3, { thing_id: 3, name: "primed" }, "all");
    const { result, commands } = await database.recordCommands(() =>
      Promise.all([things.loadMany([3, 4, 5], new Set(["name"])), byOwner.loadMany([1, 2], new Set(["name"]))]),
    );
    expect(result[0]).toEqual([null, { thing_id: 4, name: "thing-4" }, null]);
    expect(result[1][0]).toEqual([]);
    expect(result[1][1].map((d) => d.name)).toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26, 29].map((i) => `thing-${i}`));
    expect(commands.map((c) => c.command.filter)).toEqual([{ thing_id: { $in: [4] } }, { owner_id: { $in: [2] } }]);
    // Nothing allowed: no query at all.
    const none = new DocumentLoader({ collection, keyField: "thing_id", allowKey: () => false });
    const nothing = await database.recordCommands(() => none.loadMany([1, 2], "all"));
    expect(nothing.result).toEqual([null, null]);
    expect(nothing.commands).toEqual([]);
  });

  it("primes its cache from a list query", async () => {
    const things = loader();
    things.prime(9, { thing_id: 9, name: "primed" }, new Set(["name"]));
    const { result, commands } = await database.recordCommands(() => things.load(9, new Set(["name"])));
    expect(result).toEqual({ thing_id: 9, name: "primed" });
    expect(commands).toHaveLength(0);
  });

  it("answers a batch of many keys with one command, without getMore round trips", async () => {
    await database.db.collection("many").insertMany(Array.from({ length: 600 }, (_, i) => ({ k: i, parent: i % 2 })));
    const byKey = new DocumentLoader({ collection: database.db.collection("many"), keyField: "k" });
    const { result, summary } = await database.recordCommands(() => byKey.loadMany(Array.from({ length: 600 }, (_, i) => i), new Set(["k"])));
    expect(result.filter((d) => d !== null)).toHaveLength(600);
    expect(summary).toEqual(["find:many"]);
    const children = new DocumentListLoader({ collection: database.db.collection("many"), keyField: "parent" });
    const lists = await database.recordCommands(() => Promise.all([children.load(0, new Set(["k"])), children.load(1, new Set(["k"]))]));
    expect(lists.result.map((l) => l.length)).toEqual([300, 300]);
    expect(lists.summary).toEqual(["find:many"]);
  });

  it("adds its base filter (an owner scope, say) to every query", async () => {
    const scoped = new DocumentLoader({ collection: database.db.collection("things"), keyField: "thing_id", baseFilter: { owner_id: 1 } });
    const { result, commands } = await database.recordCommands(() => scoped.loadMany([1, 2], new Set(["name"])));
    expect(result).toEqual([{ thing_id: 1, name: "thing-1" }, null]);
    // One flat filter, the key condition first (an index on the key is used even by servers that plan by the leading field).
    expect(commands[0].command.filter).toEqual({ thing_id: { $in: [1, 2] }, owner_id: 1 });
    expect(Object.keys(commands[0].command.filter as object)).toEqual(["thing_id", "owner_id"]);
  });

  it("falls back to $and when the base filter names the key field or uses an operator", async () => {
    const overlapping = new DocumentLoader({ collection: database.db.collection("things"), keyField: "thing_id", baseFilter: { thing_id: { $lt: 3 } } });
    const { result, commands } = await database.recordCommands(() => overlapping.loadMany([1, 5], new Set(["name"])));
    expect(result).toEqual([{ thing_id: 1, name: "thing-1" }, null]);
    expect(commands[0].command.filter).toEqual({ $and: [{ thing_id: { $in: [1, 5] } }, { thing_id: { $lt: 3 } }] });
  });
});

describe("DocumentListLoader", () => {
  it("loads the children of many parents in one query, each list in the given order", async () => {
    const children = new DocumentListLoader({ collection: database.db.collection("things"), keyField: "owner_id", sort: { size: -1, thing_id: 1 } });
    const { result, commands } = await database.recordCommands(() =>
      Promise.all([children.load(2, new Set(["thing_id"])), children.load(42, new Set(["thing_id"])), children.load(1, new Set(["thing_id"]))]),
    );
    expect(commands).toHaveLength(1);
    expect(result[0].map((d) => d.thing_id)).toEqual([29, 26, 23, 20, 17, 14, 11, 8, 5, 2]);
    expect(result[1]).toEqual([]);
    expect(result[2].map((d) => d.thing_id)).toEqual([28, 25, 22, 19, 16, 13, 10, 7, 4, 1]);
  });

  it("files a document under each value of an array key", async () => {
    const byTag = new DocumentListLoader({ collection: database.db.collection("things"), keyField: "tags" });
    const [t1, a] = await Promise.all([byTag.load("t1", new Set(["thing_id"])), byTag.load("a", new Set(["thing_id"]))]);
    expect(t1).toHaveLength(15);
    expect(a).toHaveLength(30);
  });
});

describe("toMongoProjection", () => {
  it("drops a path under a projected parent and leaves _id out", () => {
    expect(toMongoProjection(new Set(["bind_info.port", "bind_info", "name"]))).toEqual({ _id: 0, bind_info: 1, name: 1 });
    expect(toMongoProjection("all")).toBeUndefined();
  });
});

describe('reading ahead (docs/architecture.md, "Execution without waiting")', () => {
  const registered = (registry: LoaderRegistry, baseFilter?: Record<string, unknown>) =>
    registry.get("things", () => new DocumentLoader({ collection: database.db.collection("things"), keyField: "thing_id", baseFilter }));

  it("answers a key it has read with the value itself, and one it has not with a promise", async () => {
    const things = registered(new LoaderRegistry());
    const first = things.loadNow(5, new Set(["name"]));
    expect(isPromise(first)).toBe(true);
    expect(await first).toEqual({ thing_id: 5, name: "thing-5" });
    expect(things.loadNow(5, new Set(["name"]))).toEqual({ thing_id: 5, name: "thing-5" });
    // More than was read: a promise again, and a query for it.
    const more = things.loadNow(5, new Set(["size"]));
    expect(isPromise(more)).toBe(true);
    expect(await more).toEqual({ thing_id: 5, name: "thing-5", size: 40 });
  });

  it("while prefetching, answers NOT_READ_YET without a promise; flush reads the waiting keys in one query", async () => {
    const registry = new LoaderRegistry();
    const things = registered(registry);
    registry.prefetching = true;
    const answers = [things.loadNow(1, new Set(["name"])), things.loadNow(2, new Set(["name"])), things.loadNow(1, new Set(["name"]))];
    registry.prefetching = false;
    expect(answers).toEqual([NOT_READ_YET, NOT_READ_YET, NOT_READ_YET]);
    const { commands } = await database.recordCommands(() => registry.flush());
    expect(commands).toHaveLength(1);
    expect(commands[0].command.filter).toEqual({ thing_id: { $in: [1, 2] } });
    expect(things.loadNow(2, new Set(["name"]))).toEqual({ thing_id: 2, name: "thing-2" });
    // Nothing waits: the scheduled dispatch finds no batch and sends nothing.
    const { commands: later } = await database.recordCommands(() => new Promise((done) => setTimeout(done, 20)));
    expect(later).toHaveLength(0);
  });

  it("keeps a failed batch's error for every later caller, and rejects nothing nobody asked for", async () => {
    const registry = new LoaderRegistry();
    const things = registered(registry, { size: { $notAnOperator: 1 } });
    registry.prefetching = true;
    expect(things.loadNow(3, new Set(["name"]))).toBe(NOT_READ_YET);
    registry.prefetching = false;
    await registry.flush();
    // The error stays with the key: execution meets it at the field's own path.
    await expect(things.loadNow(3, new Set(["name"]))).rejects.toThrow(/notAnOperator/);
    await expect(things.load(3, new Set(["name"]))).rejects.toThrow(/notAnOperator/);
  });
});
