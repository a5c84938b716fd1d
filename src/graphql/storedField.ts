import { Field } from "type-graphql";
import type { ReturnTypeFunc } from "type-graphql/build/typings/decorators/types";
import { MongoFields } from "./projection";

/** `bk_host_innerip_v6` → `bkHostInneripV6`. */
export function camelCase(stored: string): string {
  return stored.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A field read straight from the stored document: the class property is the stored (snake_case)
 * name, the GraphQL name its camelCase form (or `name`), and the projection of the field is the stored name.
 */
export function StoredField(type: ReturnTypeFunc, options: { nullable?: boolean; description?: string; name?: string } = {}): PropertyDecorator {
  return (target, propertyKey) => {
    const stored = String(propertyKey);
    const name = options.name ?? camelCase(stored);
    Field(type, { nullable: options.nullable ?? true, description: options.description ?? `Stored \`${stored}\`.`, name })(target, propertyKey);
    MongoFields([stored])(target, propertyKey);
  };
}
