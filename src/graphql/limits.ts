import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from "@apollo/server";
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import type { QueryLimits } from "../config";

/**
 * The most keys one by-keys root field reads per call (`cmdbHosts(ids:)`, `nodes(ids:)`, …): one
 * `$in` query per type, so a bound on the ids bounds the query.
 */
export const MAX_IDS_PER_CALL = 500;

/** One `extensions.code` per limit, so a client (or an alert) knows which one it hit. */
export const LimitCode = {
  depth: "QUERY_TOO_DEEP",
  aliases: "QUERY_TOO_MANY_ALIASES",
  tokens: "QUERY_TOO_MANY_TOKENS",
  cost: "QUERY_TOO_COSTLY",
} as const;
export type LimitName = keyof typeof LimitCode;

export function limitError(limit: LimitName, message: string, value: number, max: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: LimitCode[limit], limit: { name: limit, value, max }, http: { status: 400 } },
  });
}

type Fragments = Record<string, FragmentDefinitionNode>;

/** Introspection is governed by its own switch; its nested `ofType` chains do not count. */
const isIntrospection = (name: string) => name.startsWith("__");

export function queryDepth(selectionSet: SelectionSetNode, fragments: Fragments, seen = new Set<string>()): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection.name.value)) continue;
      deepest = Math.max(deepest, 1 + (selection.selectionSet ? queryDepth(selection.selectionSet, fragments, seen) : 0));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, queryDepth(selection.selectionSet, fragments, seen));
    } else {
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) continue;
      deepest = Math.max(deepest, queryDepth(fragment.selectionSet, fragments, new Set([...seen, fragment.name.value])));
    }
  }
  return deepest;
}

/** Aliases as executed: an alias inside a fragment counts once per place the fragment is spread. */
export function aliasCount(selectionSet: SelectionSetNode, fragments: Fragments, seen = new Set<string>()): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) count += 1;
      if (selection.selectionSet) count += aliasCount(selection.selectionSet, fragments, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += aliasCount(selection.selectionSet, fragments, seen);
    } else {
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) continue;
      count += aliasCount(fragment.selectionSet, fragments, new Set([...seen, fragment.name.value]));
    }
  }
  return count;
}

/** Page-size arguments multiply the cost of everything below them. */
function pageSize(args: Record<string, unknown>): number | undefined {
  const page = args.page as { limit?: unknown } | undefined;
  for (const candidate of [args.first, args.last, args.limit, page?.limit]) {
    if (typeof candidate === "number" && Number.isFinite(candidate) && candidate > 0) return candidate;
  }
  if (Array.isArray(args.ids)) return args.ids.length;
  if (Array.isArray(args.codes)) return args.codes.length;
  // Federation's _entities: each representation is one entity read.
  if (Array.isArray(args.representations)) return args.representations.length;
  return undefined;
}

const paginationEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = pageSize(args);
  return size === undefined ? undefined : 1 + childComplexity * size;
};

export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number {
  return getComplexity({
    schema,
    query: document,
    operationName,
    variables,
    estimators: [paginationEstimator, fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}

export interface LimitObserver {
  (limit: LimitName): void;
}

/**
 * Depth, aliases and cost are checked once the operation is resolved (variables known), before any
 * resolver runs. The token limit is enforced earlier, by the parser itself (`parseOptions.maxTokens`).
 */
interface DocumentMeasures {
  depth: number;
  aliases: number;
  /** Cost by operation name and variables (an operation's cost depends on its page-size variables). */
  costs: Map<string, number>;
}

const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * Depth, aliases and cost are checked once the operation is resolved (variables known), before any
 * resolver runs. The token limit is enforced earlier, by the parser itself (`parseOptions.maxTokens`).
 * Apollo reuses the parsed document of a repeated query, so the measures are kept per document:
 * a dashboard polling the same query pays for them once.
 */
/**
 * The key a cost is cached under: the operation and its variables. Undefined (not cached) for
 * variables JSON cannot print, such as a JSON value nested thousands of levels deep, which would
 * overflow the stack: its argument's own check refuses it with a clear error.
 */
function costCacheKey(operationName: string | undefined, variables: Record<string, unknown> | undefined): string | undefined {
  try {
    return `${operationName ?? ""}\u0000${variables ? JSON.stringify(variables) : ""}`;
  } catch {
    return undefined;
  }
}

export function queryLimitsPlugin(limits: QueryLimits, onRefusal: LimitObserver = () => undefined): ApolloServerPlugin {
  const measured = new WeakMap<DocumentNode, DocumentMeasures>();
  const refuse = (limit: LimitName, message: string, value: number, max: number) => {
    onRefusal(limit);
    return limitError(limit, message, value, max);
  };
  // One listener for every request: it keeps no state of its own between hooks.
  const listener: GraphQLRequestListener<BaseContext> = {
    async didResolveOperation({ document, operation, request, schema }) {
      // No operation of that name: Apollo itself answers with a 400 after this hook.
      if (!operation) return;
      const op: OperationDefinitionNode = operation;
      let measures = measured.get(document);
      if (!measures) {
        const fragments: Fragments = {};
        for (const definition of document.definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
        }
        measures = { depth: queryDepth(op.selectionSet, fragments), aliases: aliasCount(op.selectionSet, fragments), costs: new Map() };
        // Several operations in one document: measure per operation (not cached).
        if (document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length === 1) measured.set(document, measures);
      }
      const { depth, aliases } = measures;
      if (depth > limits.maxDepth) throw refuse("depth", `query depth ${depth} exceeds the limit of ${limits.maxDepth}`, depth, limits.maxDepth);
      if (aliases > limits.maxAliases) throw refuse("aliases", `query uses ${aliases} aliases; the limit is ${limits.maxAliases}`, aliases, limits.maxAliases);
      const operationName = op.name?.value ?? request.operationName ?? undefined;
      const costKey = costCacheKey(operationName, op.variableDefinitions?.length ? request.variables : undefined);
      let cost = costKey === undefined ? undefined : measures.costs.get(costKey);
      if (cost === undefined) {
        try {
          cost = queryCost(schema, document, operationName, request.variables ?? {});
        } catch (error) {
          // Variables that do not fit their declared types: the same answer execution would give.
          throw new GraphQLError((error as Error).message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
        }
        if (measures.costs.size >= MAX_COSTS_PER_DOCUMENT) measures.costs.clear();
        if (costKey !== undefined) measures.costs.set(costKey, cost);
      }
      if (cost > limits.maxCost) throw refuse("cost", `query cost ${cost} exceeds the limit of ${limits.maxCost}`, cost, limits.maxCost);
    },
  };
  const started = Promise.resolve(listener);
  return { requestDidStart: () => started };
}

// graphql 16 spells it "more that"; later versions may fix the typo.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;

/** graphql-js reports the token limit as a syntax error; give it the limit's own code and message. */
export function tokenLimitRefusal(message: string, maxTokens: number): { message: string; code: string } | undefined {
  if (!TOKEN_LIMIT_MESSAGE.test(message)) return undefined;
  return { message: `query has more than ${maxTokens} tokens, the limit`, code: LimitCode.tokens };
}
