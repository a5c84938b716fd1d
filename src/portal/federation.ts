import { buildSubgraphSchema } from "@apollo/subgraph";
import { MapperKind, mapSchema } from "@graphql-tools/utils";
import {
  coerceInputValue,
  GraphQLError,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLUnionType,
  isEnumType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  parse,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionNode,
} from "graphql";
import type { RequestContext } from "../graphql/context";
import { loadByGroup } from "../graphql/loaders";
import { ErrorCode } from "../graphql/errors";
import { printSchemaFile } from "../graphql/print";
import { STITCHING_DIRECTIVE_NAMES } from "../graphql/stitching";
import { mergePoints, type MergePointField } from "./stitching";

/**
 * Apollo Federation v2 subgraph mode (`POST /graphql/federation`, docs/portal.md). The subgraph
 * is the executable schema with federation's vocabulary instead of stitching's: each merge point's
 * type becomes an entity `@key(fields: "<keyField>")`, and `_entities` reads the representations
 * of one type through that merge point's resolver (the by-ids root field): its loader, access
 * scope and id limit, one query per type, in representation order.
 */
export const FEDERATION_SPEC_URL = "https://specs.apollo.dev/federation/v2.3";

const stringValue = (value: string) => ({ kind: Kind.STRING, value }) as const;
const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

/** The subgraph SDL: stitching directives out, `@link` and the entities' `@key(fields:)` in. */
export function federationTypeDefs(schema: GraphQLSchema, entities: Map<string, MergePointField>): DocumentNode {
  const withoutStitching = visit(parse(printSchemaFile(schema)), {
    DirectiveDefinition: (node) => (STITCHING_DIRECTIVE_NAMES.has(node.name.value) ? null : undefined),
    Directive: (node) => (STITCHING_DIRECTIVE_NAMES.has(node.name.value) ? null : undefined),
    ObjectTypeDefinition: {
      // On leave: stitching's @key is gone from the children by then, federation's is added.
      leave: (node) => {
        const entity = entities.get(node.name.value);
        if (!entity) return undefined;
        const key: DirectiveNode = { kind: Kind.DIRECTIVE, name: name("key"), arguments: [{ kind: Kind.ARGUMENT, name: name("fields"), value: stringValue(entity.keyField) }] };
        return { ...node, directives: [...(node.directives ?? []), key] };
      },
    },
  });
  const link = parse(`extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ["@key"])`);
  return { kind: Kind.DOCUMENT, definitions: [...link.definitions, ...withoutStitching.definitions] };
}

function representationError(index: number, message: string): GraphQLError {
  return new GraphQLError(`representations[${index}]: ${message}`, { extensions: { code: ErrorCode.BadUserInput, argumentName: "representations", representation: index } });
}

/** The selections of `_entities` that apply to `type`, as the selection of its merge point. */
function entityInfo(info: GraphQLResolveInfo, entity: MergePointField): GraphQLResolveInfo {
  const applies = (selection: SelectionNode): boolean => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return !selection.typeCondition || selection.typeCondition.name.value === entity.type.name;
    if (selection.kind === Kind.FRAGMENT_SPREAD) return info.fragments[selection.name.value]?.typeCondition.name.value === entity.type.name;
    return true;
  };
  const fieldNodes: FieldNode[] = info.fieldNodes.map((node) => ({
    kind: Kind.FIELD,
    name: name(entity.field.name),
    selectionSet: { kind: Kind.SELECTION_SET, selections: (node.selectionSet?.selections ?? []).filter(applies) },
  }));
  return { ...info, fieldName: entity.field.name, fieldNodes, returnType: entity.field.type, parentType: info.schema.getQueryType() as GraphQLObjectType };
}

/**
 * `_entities(representations:)`: checks every representation (a known entity type and a valid key)
 * before reading anything, then one merge-point call per type with all its keys.
 */
export function entitiesResolver(entities: Map<string, MergePointField>): GraphQLFieldResolver<unknown, RequestContext, { representations: unknown[] }> {
  return async (_root, { representations }, ctx, info) => {
    const targets = representations.map((representation, index) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      if (typeof representation !== "object" || representation === null || Array.isArray(representation) || typeof typename !== "string") {
        throw representationError(index, "not an object with a __typename");
      }
      const entity = entities.get(typename);
      if (!entity) throw representationError(index, `${typename} is not an entity of this subgraph (entities: ${[...entities.keys()].join(", ")})`);
      const raw = (representation as Record<string, unknown>)[entity.keyField];
      if (raw === undefined || raw === null) throw representationError(index, `${typename} is keyed by ${entity.keyField}, which is missing`);
      const key = coerceInputValue(raw, entity.keyType, (_path, _value, error) => {
        throw representationError(index, `${entity.keyField}: ${error.message}`);
      });
      return { entity, key };
    });
    const documents = await loadByGroup(
      targets,
      (target) => target.entity,
      (target) => target.key,
      async (entity, keys) =>
        (await entity.field.resolve?.(undefined, { [entity.keyArg]: keys }, ctx, entityInfo(info, entity))) as Array<Record<string, unknown> | null>,
    );
    return documents.map((document, i) => (document ? { ...document, __typename: targets[i].entity.type.name } : null));
  };
}

/**
 * Gives the subgraph schema (built from SDL) the executable schema's runtime: field resolvers,
 * the extensions the projection and the cost limit read, scalars, enum values, type resolvers.
 */
function withRuntimeOf(subgraph: GraphQLSchema, executable: GraphQLSchema): GraphQLSchema {
  return mapSchema(subgraph, {
    [MapperKind.SCALAR_TYPE]: (type) => {
      const source = executable.getType(type.name);
      return isScalarType(source) ? source : type;
    },
    [MapperKind.ENUM_TYPE]: (type) => {
      const source = executable.getType(type.name);
      return isEnumType(source) ? source : type;
    },
    [MapperKind.INTERFACE_TYPE]: (type) => {
      const source = executable.getType(type.name);
      return isInterfaceType(source) ? new GraphQLInterfaceType({ ...type.toConfig(), resolveType: source.resolveType }) : type;
    },
    [MapperKind.UNION_TYPE]: (type) => {
      const source = executable.getType(type.name);
      return isUnionType(source) ? new GraphQLUnionType({ ...type.toConfig(), resolveType: source.resolveType }) : type;
    },
    [MapperKind.OBJECT_TYPE]: (type) => {
      const source = executable.getType(type.name);
      if (!isObjectType(source)) return type;
      return new GraphQLObjectType({ ...type.toConfig(), isTypeOf: source.isTypeOf, extensions: source.extensions });
    },
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const source = executable.getType(typeName);
      const field = isObjectType(source) ? source.getFields()[fieldName] : undefined;
      return field ? { ...config, resolve: field.resolve, subscribe: field.subscribe, extensions: field.extensions } : config;
    },
  });
}

const built = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** The subgraph schema of an executable schema (built once per schema). */
export function federationSchema(executable: GraphQLSchema): GraphQLSchema {
  let schema = built.get(executable);
  if (!schema) {
    const entities = mergePoints(executable);
    const subgraph = buildSubgraphSchema([{ typeDefs: federationTypeDefs(executable, entities), resolvers: { Query: { _entities: entitiesResolver(entities) } } }]);
    schema = withRuntimeOf(subgraph, executable);
    built.set(executable, schema);
  }
  return schema;
}
