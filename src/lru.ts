/**
 * A map that holds at most `maxEntries`, dropping the least recently used entry beyond that: for
 * state kept per client-chosen key (tokens, client addresses, documents), which must never grow
 * without bound.
 *
 * "Recently" is counted in moves: a Map iterates in insertion order, so an entry is moved to the
 * back (deleted and inserted again) when it is used, and the front is dropped. A read moves its
 * entry only once it has fallen into the older half (more than `maxEntries / 2` sets and moves
 * since its own): a hot entry then costs a lookup, not a delete and an insert per read (which also
 * make the Map rehash as its deleted slots pile up), and it is still never dropped, because it is
 * moved again long before `maxEntries` other entries can pass it.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, { value: V; movedAt: number }>();
  /** Sets and moves so far. */
  private clock = 0;
  private readonly recentSpan: number;

  constructor(readonly maxEntries: number) {
    if (!(maxEntries >= 1)) throw new Error(`Lru: maxEntries must be at least 1, not ${maxEntries}`);
    this.recentSpan = Math.floor(maxEntries / 2);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.clock - entry.movedAt >= this.recentSpan) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      entry.movedAt = ++this.clock;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, movedAt: ++this.clock });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
