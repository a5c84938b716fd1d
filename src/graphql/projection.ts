import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from "graphql";
import { getArgumentValues } from "graphql/execution/values";
import { Extensions } from "type-graphql";

/**
 * The stored fields a GraphQL field reads. `"all"` means the whole document (e.g. a JSON field over
 * arbitrary attributes). A function receives the field's arguments, for fields whose needs depend on them.
 */
export type MongoFieldSpec = readonly string[] | "all" | ((args: Record<string, unknown>) => readonly string[] | "all");

export type Projection = ReadonlySet<string> | "all";

const FIELD_EXTENSION = "mongo";
const TYPE_EXTENSION = "mongoAlways";

/** Declares which stored fields a GraphQL field needs (its own value, or the keys of a relation). */
export function MongoFields(spec: MongoFieldSpec): MethodDecorator & PropertyDecorator {
  return Extensions({ [FIELD_EXTENSION]: spec }) as MethodDecorator & PropertyDecorator;
}

/** Declares the stored fields every projection of an object type includes (its key, its parents' keys). */
export function MongoAlways(...fields: string[]): ClassDecorator {
  return Extensions({ [TYPE_EXTENSION]: fields }) as ClassDecorator;
}

/** The stored fields every projection of `type` includes (its `@MongoAlways`). */
function typeAlways(type: GraphQLNamedType): readonly string[] {
  return ((type.extensions as Record<string, unknown> | undefined)?.[TYPE_EXTENSION] as string[] | undefined) ?? [];
}

interface Walk {
  info: GraphQLResolveInfo;
  fields: Set<string>;
  all: boolean;
  /** For a field of an abstract type (Node, Process): the concrete type whose documents are read. */
  concrete?: GraphQLNamedType;
}

/** The type a fragment's fields are read as: the concrete type for its interfaces; null for another object type. */
function fragmentType(walk: Walk, condition: GraphQLNamedType | null | undefined, type: GraphQLNamedType): GraphQLNamedType | null {
  const candidate = condition ?? type;
  if (!walk.concrete || !isObjectType(walk.concrete)) return candidate;
  if (candidate === walk.concrete) return candidate;
  if (isInterfaceType(candidate)) return walk.concrete.getInterfaces().includes(candidate) ? walk.concrete : null;
  return null;
}

function collectFromSelection(walk: Walk, type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined): void {
  if (!selectionSet) return;
  for (const selection of selectionSet.selections) {
    if (selection.kind === "Field") {
      if (!(isObjectType(type) || isInterfaceType(type))) continue;
      const field = type.getFields()[selection.name.value];
      if (field) addField(walk, field, selection);
    } else if (selection.kind === "InlineFragment") {
      const conditionType = fragmentType(walk, selection.typeCondition ? walk.info.schema.getType(selection.typeCondition.name.value) : type, type);
      if (conditionType) collectFromSelection(walk, conditionType, selection.selectionSet);
    } else {
      const fragment = walk.info.fragments[selection.name.value];
      if (!fragment) continue;
      const conditionType = fragmentType(walk, walk.info.schema.getType(fragment.typeCondition.name.value), type);
      if (conditionType) collectFromSelection(walk, conditionType, fragment.selectionSet);
    }
  }
}

function addField(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode): void {
  const spec = (field.extensions as Record<string, unknown> | undefined)?.[FIELD_EXTENSION] as MongoFieldSpec | undefined;
  if (spec === undefined) return;
  const resolved = typeof spec === "function" ? spec(getArgumentValues(field, node, walk.info.variableValues)) : spec;
  if (resolved === "all") walk.all = true;
  else for (const name of resolved) walk.fields.add(name);
}

/** Finds the field nodes at `path` below the current field (e.g. `["edges", "node"]` of a connection). */
function descend(info: GraphQLResolveInfo, path: readonly string[]): { nodes: FieldNode[]; type: GraphQLNamedType } {
  let nodes: FieldNode[] = [...info.fieldNodes];
  let type: GraphQLNamedType = getNamedType(info.returnType);
  for (const step of path) {
    const next: FieldNode[] = [];
    const visit = (selectionSet: SelectionSetNode | undefined) => {
      for (const selection of selectionSet?.selections ?? []) {
        if (selection.kind === "Field" && selection.name.value === step) next.push(selection);
        else if (selection.kind === "InlineFragment") visit(selection.selectionSet);
        else if (selection.kind === "FragmentSpread") visit(info.fragments[selection.name.value]?.selectionSet);
      }
    };
    for (const node of nodes) visit(node.selectionSet);
    if (!(isObjectType(type) || isInterfaceType(type))) break;
    const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[step];
    if (!field) throw new Error(`projection path: ${type.name} has no field ${step}`);
    type = getNamedType(field.type) as GraphQLNamedType;
    nodes = next;
  }
  return { nodes, type };
}

export interface ProjectionOptions {
  path?: readonly string[];
  extra?: readonly string[];
  as?: string;
}

const projectionCache = new WeakMap<readonly FieldNode[], WeakMap<object, Map<string, Projection>>>();

/**
 * The MongoDB projection a resolver needs for the documents it returns: the stored fields behind
 * the selected GraphQL fields (fragments included), plus the type's always-projected keys and
 * `extra` (the keys the resolver itself uses). For a field of an interface type, `as` names the
 * concrete type being read: its fields (and fragments on it or its interfaces) count, others not.
 */
export function projectionFromInfo(info: GraphQLResolveInfo, options: ProjectionOptions = {}): Projection {
  // Every row of a list resolves its fields with the same field nodes and variables: the walk is
  // done once per (field, variables, options), not once per row.
  // Most calls pass no options: their key is a constant, not a string built per row.
  const key = options.path || options.extra || options.as ? `${options.path?.join(".") ?? ""}|${options.extra?.join(",") ?? ""}|${options.as ?? ""}` : "";
  let byVariables = projectionCache.get(info.fieldNodes);
  if (!byVariables) projectionCache.set(info.fieldNodes, (byVariables = new WeakMap()));
  let byOptions = byVariables.get(info.variableValues);
  if (!byOptions) byVariables.set(info.variableValues, (byOptions = new Map()));
  let projection = byOptions.get(key);
  if (projection === undefined) {
    projection = walkProjection(info, options);
    byOptions.set(key, projection);
  }
  return projection;
}

/**
 * What a connection's caller reads of each node: the union of `nodes { … }` and `edges { node { … } }`
 * (of concrete type `as` for an interface's list).
 */
export function connectionNodeProjection(info: GraphQLResolveInfo, as?: string): Projection {
  return unionProjection(projectionFromInfo(info, { path: ["nodes"], as }), projectionFromInfo(info, { path: ["edges", "node"], as }));
}

function walkProjection(info: GraphQLResolveInfo, options: ProjectionOptions): Projection {
  const descended = descend(info, options.path ?? []);
  // A field of an interface type reads documents of one concrete type at a time: `as` names it.
  const concrete = options.as ? info.schema.getType(options.as) ?? undefined : undefined;
  const type = concrete ?? descended.type;
  const { nodes } = descended;
  const walk: Walk = { info, fields: new Set([...typeAlways(type), ...(options.extra ?? [])]), all: false, concrete };
  for (const node of nodes) collectFromSelection(walk, type, node.selectionSet);
  return walk.all ? "all" : walk.fields;
}

export function unionProjection(a: Projection, b: Projection): Projection {
  if (a === "all" || b === "all") return "all";
  return new Set([...a, ...b]);
}

export function projectionCovers(have: Projection, need: Projection): boolean {
  // The same projection (every row of a list loads with the one its field's walk made): no walk.
  if (have === "all" || have === need) return true;
  if (need === "all") return false;
  for (const field of need) {
    if (have.has(field)) continue;
    // `bind_info` covers `bind_info.port`.
    const parent = field.split(".").slice(0, -1);
    let covered = false;
    while (parent.length > 0 && !covered) {
      covered = have.has(parent.join("."));
      parent.pop();
    }
    if (!covered) return false;
  }
  return true;
}

/**
 * The MongoDB projection document. `_id` is left out unless asked for; a path under a projected
 * parent is dropped, since MongoDB rejects `{a: 1, "a.b": 1}` as a path collision.
 */
export function toMongoProjection(projection: Projection): Record<string, 0 | 1> | undefined {
  if (projection === "all") return undefined;
  const names = [...projection].sort();
  const result: Record<string, 0 | 1> = {};
  for (const name of names) {
    const parts = name.split(".");
    const shadowed = parts.some((_, i) => i > 0 && result[parts.slice(0, i).join(".")] === 1);
    if (!shadowed) result[name] = 1;
  }
  if (!projection.has("_id")) result._id = 0;
  return result;
}
