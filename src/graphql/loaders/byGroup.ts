/**
 * Loads `items` grouped by `groupOf` (each group's keys in one `load`, every group at once) and
 * returns the results in the items' order: `nodes(ids:)` by node type, `_entities` by entity type.
 * `load` returns one result per key, in key order.
 */
export async function loadByGroup<T, G, K, R>(
  items: readonly T[],
  groupOf: (item: T) => G,
  keyOf: (item: T) => K,
  load: (group: G, keys: K[]) => Promise<readonly R[]>,
): Promise<R[]> {
  const indicesByGroup = new Map<G, number[]>();
  items.forEach((item, index) => {
    const group = groupOf(item);
    const indices = indicesByGroup.get(group);
    if (indices) indices.push(index);
    else indicesByGroup.set(group, [index]);
  });
  const results = new Array<R>(items.length);
  await Promise.all(
    [...indicesByGroup].map(async ([group, indices]) => {
      const found = await load(
        group,
        indices.map((index) => keyOf(items[index])),
      );
      indices.forEach((itemIndex, i) => (results[itemIndex] = found[i]));
    }),
  );
  return results;
}
