import { getArgumentValues, getNamedType, isObjectType, type FieldNode, type GraphQLField, type GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import { collectSubfields } from "graphql/execution/collectFields";
import { Extensions } from "type-graphql";
import { isPromise } from "./maybePromise";

/*
 * Reading a list's relations before graphql-js walks it (docs/architecture.md, "Execution without
 * waiting"). A list resolver that has its rows calls `prefetch`: for each selected field marked
 * `@Prefetched()`, it calls that field's own resolver on every row (the loaders batch them into one
 * `$in` query per collection, as execution would), waits, and goes on below with the answers. By
 * the time graphql-js resolves those fields the request's loaders hold the documents, the marked
 * resolvers answer with values rather than promises, and the whole page completes synchronously.
 *
 * It reads nothing execution would not read, with the same projections, in the same batches, so the
 * round trips stay those of docs/architecture.md, "Lists". Its errors are dropped: execution calls
 * the same resolver again and meets the same error (a loader keeps its failed batch) at the field's
 * own path, as without it.
 */

const MARK = "procgraphPrefetched";

/**
 * Marks a field resolver that may be called ahead of execution: it reads only through the request's
 * loaders (so calling it twice reads once) and answers with the value, not a promise, once they
 * hold it.
 */
export const Prefetched = (): MethodDecorator & PropertyDecorator => Extensions({ [MARK]: true });

type AnyField = GraphQLField<unknown, unknown>;

/** Where a connection's rows are selected: `nodes` and `edges.node`. */
export const CONNECTION_ROWS: ReadonlyArray<readonly string[]> = [["nodes"], ["edges", "node"]];

/**
 * Loads what the selection below `info`'s field reads of `rows`; `paths` lead from the field to the
 * rows' type (`[["nodes"], ["edges", "node"]]` for a connection, `[[]]` for a plain list).
 */
export async function prefetch(info: GraphQLResolveInfo, context: unknown, rows: readonly unknown[], paths: ReadonlyArray<readonly string[]>): Promise<void> {
  if (rows.length === 0) return;
  let rowType: GraphQLObjectType | undefined;
  const rowNodes: FieldNode[] = [];
  for (const path of paths) {
    const target = descend(info, path);
    if (!target || (rowType && rowType !== target.type)) continue;
    rowType = target.type;
    rowNodes.push(...target.nodes);
  }
  if (rowType && rowNodes.length > 0) await level(info, context, rowType, rowNodes, rows);
}

/** The field nodes and object type at `path` below `info`'s field (honouring fragments, @skip and @include). */
function descend(info: GraphQLResolveInfo, path: readonly string[]): { type: GraphQLObjectType; nodes: readonly FieldNode[] } | undefined {
  let type = getNamedType(info.returnType);
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    if (!isObjectType(type)) return undefined;
    const next: FieldNode[] = [];
    for (const fieldNodes of collectSubfields(info.schema, info.fragments, info.variableValues, type, nodes).values()) {
      if (fieldNodes[0].name.value === name) next.push(...fieldNodes);
    }
    const field = type.getFields()[name];
    if (!field || next.length === 0) return undefined;
    type = getNamedType(field.type);
    nodes = next;
  }
  return isObjectType(type) ? { type, nodes } : undefined;
}

async function level(info: GraphQLResolveInfo, context: unknown, type: GraphQLObjectType, nodes: readonly FieldNode[], parents: readonly unknown[]): Promise<void> {
  const below: Array<Promise<void>> = [];
  const fields = type.getFields();
  for (const fieldNodes of collectSubfields(info.schema, info.fragments, info.variableValues, type, nodes).values()) {
    const field: AnyField | undefined = fields[fieldNodes[0].name.value];
    if (!field?.resolve || field.extensions[MARK] !== true) continue;
    below.push(resolveAll(info, context, type, field, fieldNodes, parents));
  }
  await Promise.all(below);
}

/** The field's resolver on every parent, then the level below on what it answered. */
async function resolveAll(info: GraphQLResolveInfo, context: unknown, parentType: GraphQLObjectType, field: AnyField, nodes: readonly FieldNode[], parents: readonly unknown[]): Promise<void> {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, nodes[0], info.variableValues);
  } catch {
    return;
  }
  const fieldInfo: GraphQLResolveInfo = { ...info, fieldName: field.name, fieldNodes: nodes, returnType: field.type, parentType };
  const resolve = field.resolve!;
  const answers: unknown[] = [];
  const pending: Array<Promise<unknown>> = [];
  for (const parent of parents) {
    let answer: unknown;
    try {
      answer = resolve(parent, args, context, fieldInfo);
    } catch {
      continue;
    }
    if (isPromise(answer)) pending.push(answer.then((value) => void answers.push(value), ignore));
    else answers.push(answer);
  }
  await Promise.all(pending);
  const childType = getNamedType(field.type);
  if (!isObjectType(childType)) return;
  const children: unknown[] = [];
  for (const answer of answers) collectObjects(answer, children);
  if (children.length > 0) await level(info, context, childType, nodes, children);
}

function collectObjects(value: unknown, into: unknown[]): void {
  if (value === null || value === undefined || value instanceof Error) return;
  if (Array.isArray(value)) for (const item of value) collectObjects(item, into);
  else into.push(value);
}

function ignore(): void {}
