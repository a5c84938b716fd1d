import { Lru } from "../../src/lru";

describe("Lru", () => {
  it("holds at most maxEntries, dropping the least recently set first", () => {
    const lru = new Lru<string, number>(3);
    for (const [index, key] of ["a", "b", "c", "d"].entries()) lru.set(key, index);
    expect(lru.size).toBe(3);
    expect([lru.get("a"), lru.get("b"), lru.get("c"), lru.get("d")]).toEqual([undefined, 1, 2, 3]);
  });

  it("keeps an entry read in the older half, and drops the one not read", () => {
    const lru = new Lru<string, number>(4);
    for (const key of ["a", "b", "c", "d"]) lru.set(key, 0);
    // "a" is the oldest: reading it moves it to the back, so "b" goes first.
    expect(lru.get("a")).toBe(0);
    lru.set("e", 0);
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toBe(0);
    lru.set("f", 0);
    expect(lru.get("c")).toBeUndefined();
    expect(lru.size).toBe(4);
  });

  it("never drops an entry read at least once every maxEntries / 2 other entries, under a flood of new keys", () => {
    const lru = new Lru<string, number>(100);
    lru.set("hot", 1);
    for (let i = 0; i < 100_000; i++) {
      lru.set(`flood-${i}`, i);
      if (i % 50 === 0 && lru.get("hot") !== 1) throw new Error(`"hot" dropped after ${i} new keys`);
    }
    expect(lru.size).toBe(100);
    expect(lru.get("flood-99999")).toBe(99_999);
    expect(lru.get("flood-99899")).toBeUndefined();
  });

  it("replaces a value set again, and forgets a deleted key", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("a", 2);
    expect(lru.size).toBe(1);
    expect(lru.get("a")).toBe(2);
    lru.delete("a");
    expect(lru.get("a")).toBeUndefined();
    expect(() => new Lru(0)).toThrow(/at least 1/);
  });
});
