import { getArgumentValues, getNamedType, isObjectType, type FieldNode, type GraphQLField, type GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import { collectSubfields } from "graphql/execution/collectFields";
import { Extensions } from "type-graphql";
import type { RequestContext } from "./context";
import type { LoaderRegistry } from "./loaders";
import { allOf, isPromise, NOT_READ_YET, type MaybePromise } from "./maybePromise";

/*
 * Reading a list's relations before graphql-js walks it (docs/architecture.md, "Execution without
 * waiting"). A list resolver that has its rows calls `prefetch`: level by level, it calls the
 * resolver of each selected field marked `@Prefetched()` on every row; the loaders answer
 * NOT_READ_YET for what they have still to read, `prefetch` sends their batches (one `$in` query per
 * collection, as execution would) and calls again until every row has its answer. By the time
 * graphql-js resolves those fields the loaders hold the documents, the marked resolvers answer with
 * values, and the page completes synchronously.
 *
 * It reads nothing execution would not read, with the same projections, so the round trips stay
 * those of docs/architecture.md, "Lists". Its errors are dropped: execution calls the same resolver
 * again and meets the same error (a loader keeps its failed batch) at the field's own path.
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

/** The most times `prefetch` calls a field's resolver on a row that still waits for data (a chain of reads). */
const MAX_ROUNDS = 8;

/** A marked field of one level, on its parents: what each answered so far. */
interface FieldCall {
  field: AnyField;
  nodes: readonly FieldNode[];
  args: Record<string, unknown>;
  info: GraphQLResolveInfo;
  parents: readonly unknown[];
  answers: unknown[];
}

/**
 * Loads what the selection below `info`'s field reads of `rows`; `paths` lead from the field to the
 * rows' type (`CONNECTION_ROWS` for a connection, `[[]]` for a plain list). A level at a time: the
 * marked fields' resolvers are called on every row, answer NOT_READ_YET where a loader has still to
 * read, the waiting batches go out together (one query per loader), and the resolvers that waited
 * are called again until every row has its answer; then the level below.
 */
export async function prefetch(info: GraphQLResolveInfo, ctx: RequestContext, rows: readonly unknown[], paths: ReadonlyArray<readonly string[]>): Promise<void> {
  if (rows.length === 0) return;
  let rowType: GraphQLObjectType | undefined;
  const rowNodes: FieldNode[] = [];
  for (const path of paths) {
    const target = descend(info, path);
    if (!target || (rowType && rowType !== target.type)) continue;
    rowType = target.type;
    rowNodes.push(...target.nodes);
  }
  if (!rowType || rowNodes.length === 0) return;
  let level: FieldCall[] = markedFields(info, rowType, rowNodes, rows);
  while (level.length > 0) {
    await answerAll(level, ctx);
    const below: FieldCall[] = [];
    for (const call of level) {
      const childType = getNamedType(call.field.type);
      if (!isObjectType(childType)) continue;
      const children: unknown[] = [];
      for (const answer of call.answers) collectObjects(answer, children);
      if (children.length > 0) below.push(...markedFields(info, childType, call.nodes, children));
    }
    level = below;
  }
}

/** The marked fields selected on `type` under `nodes`, one call each on `parents`. */
function markedFields(info: GraphQLResolveInfo, type: GraphQLObjectType, nodes: readonly FieldNode[], parents: readonly unknown[]): FieldCall[] {
  const calls: FieldCall[] = [];
  const fields = type.getFields();
  for (const fieldNodes of collectSubfields(info.schema, info.fragments, info.variableValues, type, nodes).values()) {
    const field: AnyField | undefined = fields[fieldNodes[0].name.value];
    if (!field?.resolve || field.extensions[MARK] !== true) continue;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, fieldNodes[0], info.variableValues);
    } catch {
      continue;
    }
    const fieldInfo: GraphQLResolveInfo = { ...info, fieldName: field.name, fieldNodes, returnType: field.type, parentType: type };
    calls.push({ field, nodes: fieldNodes, args, info: fieldInfo, parents, answers: new Array<unknown>(parents.length).fill(NOT_READ_YET) });
  }
  return calls;
}

/**
 * The rounds of a read-ahead: `attempt` is called on every item still waiting, with the loaders
 * answering NOT_READ_YET for what they have still to read, and says whether the item still waits;
 * the waiting batches go out together between rounds, until no item waits or the rounds run out.
 */
async function inRounds<T>(loaders: LoaderRegistry, items: readonly T[], attempt: (item: T) => boolean): Promise<void> {
  let waiting = items;
  for (let round = 0; round < MAX_ROUNDS && waiting.length > 0; round++) {
    const unread: T[] = [];
    loaders.prefetching = true;
    try {
      for (const item of waiting) if (attempt(item)) unread.push(item);
    } finally {
      loaders.prefetching = false;
    }
    if (unread.length === 0) return;
    await loaders.flush();
    waiting = unread;
  }
}

/**
 * The read-ahead for code other than a field resolver (the REST joins): `read` on every item in
 * rounds, as `prefetch` calls resolvers; then every item's answer, with no promise per item where
 * all were read. A read that fails in a round is read again at the end, where its error rejects.
 */
export async function readInRounds<T, U>(loaders: LoaderRegistry, items: readonly T[], read: (item: T) => MaybePromise<U>): Promise<U[]> {
  await inRounds(loaders, items, (item) => {
    let answer: MaybePromise<U> | undefined;
    try {
      answer = read(item);
    } catch {
      // Dropped here: the read at the end meets the error again.
      answer = undefined;
    }
    if (isPromise(answer)) answer.catch(ignore);
    return (answer as unknown) === NOT_READ_YET;
  });
  return allOf(items.map(read));
}

/** Calls each field's resolver on its parents until none answers NOT_READ_YET (or the rounds run out). */
async function answerAll(calls: readonly FieldCall[], ctx: RequestContext): Promise<void> {
  const waits: Array<Promise<unknown>> = [];
  await inRounds(ctx.loaders, calls, (call) => {
    const resolve = call.field.resolve!;
    let unread = false;
    for (let i = 0; i < call.parents.length; i++) {
      if (call.answers[i] !== NOT_READ_YET) continue;
      let answer: unknown;
      try {
        answer = resolve(call.parents[i], call.args, ctx, call.info);
      } catch {
        answer = undefined;
      }
      if (answer === NOT_READ_YET) unread = true;
      else if (isPromise(answer)) {
        // A resolver that waits all the same (a failed read hands back its error): execution meets it again.
        call.answers[i] = undefined;
        waits.push(answer.then((value) => (call.answers[i] = value), ignore));
      } else call.answers[i] = answer;
    }
    return unread;
  });
  await Promise.all(waits);
  for (const call of calls) call.answers = call.answers.filter((answer) => answer !== NOT_READ_YET);
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

function collectObjects(value: unknown, into: unknown[]): void {
  if (value === null || value === undefined || value instanceof Error) return;
  if (Array.isArray(value)) for (const item of value) collectObjects(item, into);
  else into.push(value);
}

function ignore(): void {}
