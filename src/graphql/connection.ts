import type { GraphQLScalarType } from "graphql";
import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import type { ReturnTypeFuncValue } from "type-graphql/build/typings/decorators/types";
import { badUserInput } from "./errors";

/*
 * The one pagination kit every list of the graph uses (docs/architecture.md, "Lists"): a forward
 * cursor connection (`nodes`, `edges`, `pageInfo`, lazy `totalCount`), the page-size guard, the
 * cursor codec. Page info types keep each namespace's name (CmdbPageInfo, PaasPageInfo,
 * ProcessPageInfo) so a portal composing our schema with others meets no foreign `PageInfo`.
 */

/** What a connection resolver returns; `totalCount` is queried only when the field is read. */
export interface ConnectionValue<T> {
  nodes: T[];
  readonly edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: Promise<number>;
}

/** The empty page: nothing in scope can match, so neither the page nor the count is queried. */
export function emptyConnection<T>(): ConnectionValue<T> {
  return { nodes: [], edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: Promise.resolve(0) };
}

/**
 * A page from the `first + 1` rows read past the cursor (the extra row only says a page follows).
 * `count` runs once, on the first read of `totalCount`; the edges are built on their first read.
 */
export function connectionOf<T>(rows: readonly T[], first: number, cursorOf: (node: T) => string, count: () => Promise<number>): ConnectionValue<T> {
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  // Edges (a cursor encoded per row) are built on their first read: most pages select `nodes` only.
  let edges: ConnectionValue<T>["edges"] | undefined;
  let total: Promise<number> | undefined;
  return {
    nodes,
    get edges() {
      edges ??= nodes.map((node) => ({ cursor: cursorOf(node), node }));
      return edges;
    },
    pageInfo: { hasNextPage: rows.length > first, endCursor: last === undefined ? null : cursorOf(last) },
    get totalCount() {
      total ??= count();
      return total;
    },
  };
}

/** The page-size guard: `first` absent is `defaultSize`; otherwise an integer from 1 to `max`, BAD_USER_INPUT if not. */
export function pageSize(first: number | null | undefined, limits: { defaultSize: number; max: number }): number {
  const size = first ?? limits.defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > limits.max) throw badUserInput(`first: between 1 and ${limits.max}`, { argumentName: "first" });
  return size;
}

/**
 * A list's cursors: a JSON tuple `[kind, ...position]`, base64url-encoded, opaque to clients.
 * `parse` checks the position read back (undefined: not one of this list's).
 */
export function cursorCodec<P>(kind: string, listName: string, parse: (position: unknown[]) => P | undefined, format: (position: P) => readonly unknown[]) {
  return {
    encode(position: P): string {
      return Buffer.from(JSON.stringify([kind, ...format(position)])).toString("base64url");
    },
    /** The position of a cursor of this list; BAD_USER_INPUT on `after` otherwise. */
    decode(cursor: string): P {
      const [cursorKind, ...rest] = tupleOf(cursor);
      const position = cursorKind === kind ? parse(rest) : undefined;
      if (position === undefined) throw badUserInput(`after: not a cursor of ${listName}`, { argumentName: "after" });
      return position;
    },
  };
}

function tupleOf(cursor: string): unknown[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(parts) ? parts : [];
  } catch {
    return [];
  }
}

const pageInfoTypes = new Map<string, ClassType>();

/** `<namespace>PageInfo`, one class per name. */
export function pageInfoType(namespace: string): ClassType {
  const name = `${namespace}PageInfo`;
  let type = pageInfoTypes.get(name);
  if (!type) {
    @ObjectType(name, { description: "Where a page of a list ends." })
    class PageInfo {
      @Field({ description: "Whether a page follows this one." })
      hasNextPage!: boolean;

      @Field(() => String, { nullable: true, description: "Pass as `after` to read the next page; null on an empty page." })
      endCursor!: string | null;
    }
    type = PageInfo;
    pageInfoTypes.set(name, type);
  }
  return type;
}

export interface ConnectionOptions {
  /** The namespace of the page info type: `Cmdb` → `CmdbPageInfo`. */
  namespace: string;
  /** What a page holds and in which order. */
  description: string;
  /** `totalCount`'s type: SafeInt where counts can pass 2^31 (bk-cmdb's collections), Int otherwise. */
  totalCountType?: GraphQLScalarType;
  /** What `totalCount` counts and what it costs. */
  totalCountDescription: string;
  /** The node's GraphQL type when it is not `node` itself (an interface such as `Process`). */
  nodeType?: () => ReturnTypeFuncValue;
}

/** `<name>Connection` and `<name>Edge` over `node`. */
export function connectionType<T extends object>(name: string, node: ClassType<T>, options: ConnectionOptions) {
  const nodeType = options.nodeType ?? ((): ReturnTypeFuncValue => node as ClassType<T>);
  const PageInfo = pageInfoType(options.namespace);

  @ObjectType(`${name}Edge`)
  class Edge {
    @Field({ description: "Opaque position of this node; pass as `after`." })
    cursor!: string;

    @Field(nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: options.description })
  class Connection {
    @Field(() => [nodeType()], { description: "The nodes of this page." })
    nodes!: T[];

    @Field(() => [Edge], { description: "The nodes of this page with their cursors." })
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: InstanceType<typeof PageInfo>;

    @Field(() => options.totalCountType ?? Int, { description: options.totalCountDescription })
    totalCount!: number;
  }
  return Connection;
}
