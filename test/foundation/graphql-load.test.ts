import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../src/paths";

/*
 * src/graphqlLoad.ts: the entry point loads graphql-js with its production type checks, which skip
 * the search for a second copy of graphql-js; that is only safe while there is one copy.
 */
type InstanceOf = (value: unknown, constructor: new (...args: never[]) => unknown) => boolean;

/** An object that a development `instanceOf` takes for a GraphQLObjectType from another copy. */
function objectTypeFromAnotherCopy(): unknown {
  class GraphQLObjectType {
    get [Symbol.toStringTag]() {
      return "GraphQLObjectType";
    }
  }
  return new GraphQLObjectType();
}

function loadedInstanceOf(load: () => void): { instanceOf: InstanceOf; objectType: new (...args: never[]) => unknown } {
  let loaded: ReturnType<typeof loadedInstanceOf> | undefined;
  jest.isolateModules(() => {
    load();
    const { instanceOf } = jest.requireActual<{ instanceOf: InstanceOf }>("graphql/jsutils/instanceOf");
    const { GraphQLObjectType } = jest.requireActual<typeof import("graphql")>("graphql");
    loaded = { instanceOf, objectType: GraphQLObjectType as never };
  });
  return loaded!;
}

describe("loading graphql-js (src/graphqlLoad.ts)", () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it("loads the plain instanceof whatever NODE_ENV is, and leaves NODE_ENV as it was", () => {
    for (const value of ["development", "test", undefined]) {
      if (value === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = value;
      const { instanceOf, objectType } = loadedInstanceOf(() => jest.requireActual("../../src/graphqlLoad"));
      expect(instanceOf(objectTypeFromAnotherCopy(), objectType)).toBe(false);
      expect(process.env.NODE_ENV).toBe(value);
    }
  });

  it("is what the entry point loads before anything else", () => {
    const entry = fs.readFileSync(path.join(PROJECT_ROOT, "src", "index.ts"), "utf8");
    const firstImport = /^import\s+[^;]*;/m.exec(entry)?.[0];
    expect(firstImport).toBe('import "./graphqlLoad";');
  });

  it("differs from what graphql-js loads by itself outside production, which looks for another copy", () => {
    process.env.NODE_ENV = "development";
    const { instanceOf, objectType } = loadedInstanceOf(() => undefined);
    expect(() => instanceOf(objectTypeFromAnotherCopy(), objectType)).toThrow(/another module or realm/);
  });

  it("is safe: the dependencies share one copy of graphql-js", () => {
    const copies: string[] = [];
    const walk = (dir: string, depth: number) => {
      if (depth > 6 || !fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const child = path.join(dir, entry.name);
        if (entry.name === "graphql" && fs.existsSync(path.join(child, "package.json"))) copies.push(path.relative(PROJECT_ROOT, child));
        if (entry.name.startsWith("@")) walk(child, depth);
        else if (fs.existsSync(path.join(child, "node_modules"))) walk(path.join(child, "node_modules"), depth + 1);
      }
    };
    walk(path.join(PROJECT_ROOT, "node_modules"), 0);
    expect(copies).toEqual([path.join("node_modules", "graphql")]);
  });
});
