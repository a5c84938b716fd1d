import type { GraphQLResolveInfo, SelectionSetNode } from "graphql";

/** Whether the field at `path` below the current field is selected (fragments included). */
export function isSelected(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let sets: Array<SelectionSetNode | undefined> = info.fieldNodes.map((node) => node.selectionSet);
  for (const name of path) {
    const next: Array<SelectionSetNode | undefined> = [];
    const visit = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === "Field" && selection.name.value === name) next.push(selection.selectionSet);
        else if (selection.kind === "InlineFragment") visit(selection.selectionSet);
        else if (selection.kind === "FragmentSpread") visit(info.fragments[selection.name.value]?.selectionSet);
      }
    };
    sets.forEach(visit);
    if (next.length === 0) return false;
    sets = next;
  }
  return true;
}
