import { dirname, join } from "node:path";
import { GraphQLInterfaceType, GraphQLObjectType, GraphQLScalarType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";

/*
 * Why this exists: type-graphql wraps every field. A plain `@Field` gets a resolver that builds a
 * `{ root, args, context, info }` object and runs the (empty) middleware chain to read one
 * property; a `@FieldResolver` method gets one that also looks its class instance up in the
 * container (a linear search), sorts its parameter list and maps it into a new array, and, when a
 * parameter is an `@Arg`, awaits an argument validation that `validate: false` turns off. On a
 * 500-row page that is tens of thousands of calls and their garbage per request (README.md, "Performance").
 *
 * procgraph uses none of what those wrappers exist for (no middlewares, no authChecker, no
 * validation, the default container: see getSchema), so after the build each wrapper is replaced by
 * the call it ends in:
 * - a plain field whose property has the field's name: no resolver (graphql's default resolver
 *   reads root[fieldName]); a renamed one (`@Field({ name: "isDefault" }) is_default`) reads
 *   root[propertyName], as type-graphql's wrapper does;
 * - a `@FieldResolver` method whose parameters are only `@Root()`, `@Ctx()`, `@Info()` and scalar
 *   `@Arg`s: a direct call of the method on the same instance type-graphql would use, with the
 *   same arguments.
 * Anything else (middlewares or roles on the field, `@Root` typed by a class, which type-graphql
 * converts into an instance, input-type arguments, `@Args` classes, custom decorators, methods
 * of the object type itself) keeps type-graphql's resolver.
 *
 * Which resolver belongs to which metadata is recorded while type-graphql builds (its resolver
 * factories are wrapped for the duration of the build), so no lookup rule of type-graphql's is
 * re-implemented here.
 */

// type-graphql's package exports only its entry point; its internals are required by file.
const typeGraphqlRoot = dirname(require.resolve("type-graphql"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const factories = require(join(typeGraphqlRoot, "resolvers/create.js")) as ResolverFactories;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BuildContext } = require(join(typeGraphqlRoot, "schema/build-context.js")) as { BuildContext: BuildContextShape };

interface FieldMetadata { name: string; schemaName: string; middlewares?: unknown[]; roles?: unknown[] }
interface ParamMetadata { kind: string; index: number; name?: string; propertyName?: string; getType?: () => unknown }
interface FieldResolverMetadata {
  kind: "internal" | "external";
  target: new () => unknown;
  methodName: string;
  params?: ParamMetadata[];
  middlewares?: unknown[];
  roles?: unknown[];
}
interface ResolverFactories {
  createBasicFieldResolver(field: FieldMetadata): GraphQLFieldResolver<unknown, unknown>;
  createAdvancedFieldResolver(meta: FieldResolverMetadata): GraphQLFieldResolver<unknown, unknown>;
}
interface BuildContextShape {
  globalMiddlewares: unknown[];
  authChecker?: unknown;
  validateFn?: unknown;
  container: { getInstance(target: unknown, resolverData: unknown): unknown; container?: unknown; containerGetter?: unknown };
}

type Made = { kind: "basic"; field: FieldMetadata } | { kind: "advanced"; meta: FieldResolverMetadata };
type Resolver = GraphQLFieldResolver<any, any, any, any>;

/** Builds the schema with `build` (a type-graphql buildSchema call), then swaps the wrappers it can for direct resolvers. */
export async function buildWithDirectResolvers(build: () => Promise<GraphQLSchema>): Promise<GraphQLSchema> {
  const made = new Map<unknown, Made>();
  const { createBasicFieldResolver, createAdvancedFieldResolver } = factories;
  // type-graphql resets its build context when the build ends: the options are read while it runs.
  let options: Pick<BuildContextShape, "globalMiddlewares" | "authChecker" | "validateFn" | "container"> | undefined;
  const readOptions = () => {
    const { globalMiddlewares, authChecker, validateFn, container } = BuildContext;
    options ??= { globalMiddlewares, authChecker, validateFn, container };
  };
  factories.createBasicFieldResolver = (field) => {
    readOptions();
    const resolver = createBasicFieldResolver(field);
    made.set(resolver, { kind: "basic", field });
    return resolver;
  };
  factories.createAdvancedFieldResolver = (meta) => {
    readOptions();
    const resolver = createAdvancedFieldResolver(meta);
    made.set(resolver, { kind: "advanced", meta });
    return resolver;
  };
  let schema: GraphQLSchema;
  try {
    schema = await build();
  } finally {
    factories.createBasicFieldResolver = createBasicFieldResolver;
    factories.createAdvancedFieldResolver = createAdvancedFieldResolver;
  }
  // The build's options: what the wrappers would apply to every field. With any of them set, keep them all.
  if (!options) return schema;
  const { globalMiddlewares, authChecker, validateFn, container } = options;
  const customContainer = container.container !== undefined || container.containerGetter !== undefined;
  if (globalMiddlewares.length > 0 || authChecker !== undefined || validateFn !== undefined || customContainer) return schema;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType)) continue;
    for (const field of Object.values(type.getFields())) {
      const origin = made.get(field.resolve);
      if (!origin) continue;
      const direct = origin.kind === "basic" ? plainField(origin.field, field.name) : methodCall(origin.meta, container);
      if (direct !== false) field.resolve = direct;
    }
  }
  return schema;
}

function unguarded(meta: { middlewares?: unknown[]; roles?: unknown[] }): boolean {
  return (meta.middlewares?.length ?? 0) === 0 && meta.roles === undefined;
}

/** A plain field: no resolver, or a read of the renamed property; false to keep type-graphql's. */
function plainField(field: FieldMetadata, schemaName: string): Resolver | undefined | false {
  if (!unguarded(field)) return false;
  if (field.name === schemaName) return undefined;
  const property = field.name;
  return (root) => root[property];
}

/** Reads one parameter of a method from the resolver's arguments, or false when its conversion is type-graphql's to do. */
function parameter(param: ParamMetadata): ((root: any, args: any, context: any, info: any) => unknown) | false {
  switch (param.kind) {
    case "root": {
      // type-graphql converts a root typed by a class into an instance of it: leave those to it.
      const type = param.getType?.();
      if (type !== undefined && type !== Object) return false;
      const property = param.propertyName;
      return property === undefined ? (root) => root : (root) => root[property];
    }
    case "context": {
      const property = param.propertyName;
      return property === undefined ? (_root, _args, context) => context : (_root, _args, context) => context[property];
    }
    case "info":
      return (_root, _args, _context, info) => info;
    case "arg": {
      // Scalars pass through type-graphql's conversion unchanged; input types and enums are left to it.
      const type = param.getType?.();
      const scalar = type instanceof GraphQLScalarType || type === String || type === Number || type === Boolean;
      if (!scalar || param.name === undefined) return false;
      const name = param.name;
      return (_root, args) => args[name];
    }
    default:
      return false;
  }
}

/** A `@FieldResolver` method called directly, or false to keep type-graphql's resolver. */
function methodCall(meta: FieldResolverMetadata, container: BuildContextShape["container"]): Resolver | false {
  if (meta.kind !== "external" || !unguarded(meta)) return false;
  const params = [...(meta.params ?? [])].sort((a, b) => a.index - b.index);
  if (params.some((p, i) => p.index !== i)) return false;
  const kinds = params.map((p) => (p.propertyName === undefined ? p.kind : "")).join(",");
  const methodName = meta.methodName;
  let instance: any;
  // The instance type-graphql's default container gives (one per class), taken on first use as it does.
  const target = (root: unknown, args: unknown, context: unknown, info: unknown): any =>
    instance ?? (instance = container.getInstance(meta.target, { root, args, context, info }));
  // The shape almost every relation has, without a closure per parameter.
  if (kinds === "root,context,info") {
    return (root, args, context, info) => target(root, args, context, info)[methodName](root, context, info);
  }
  // Computed fields of a row (a failed count, a display name): called once per row, so no array per call either.
  if (kinds === "root") return (root, args, context, info) => target(root, args, context, info)[methodName](root);
  if (kinds === "root,context") return (root, args, context, info) => target(root, args, context, info)[methodName](root, context);
  const readers = params.map(parameter);
  if (readers.some((r) => r === false)) return false;
  const read = readers as Array<(root: any, args: any, context: any, info: any) => unknown>;
  return (root, args, context, info) =>
    target(root, args, context, info)[methodName](...read.map((r) => r(root, args, context, info)));
}
