import fs from "node:fs";
import path from "node:path";
import { buildSchema, Kind, parse, validate, type DocumentNode } from "graphql";
import { PROJECT_ROOT } from "../../src/paths";

/**
 * Every ```graphql operation in the README and docs/ is valid against the checked-in schema. Blocks
 * that are schema (SDL) or signatures are not operations; a block starting `# gateway query` runs
 * against a portal's gateway, not procgraph.
 */
const schema = buildSchema(fs.readFileSync(path.join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8"));
const files = ["README.md", ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const examples = files.flatMap((file) =>
  [...fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8").matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((match, index) => {
    const source = match[1];
    if (source.startsWith("# gateway query")) return [];
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch {
      return [];
    }
    const executable = document.definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION);
    return executable ? [{ name: `${file} #${index + 1}`, source }] : [];
  }),
);

const playground = path.join(PROJECT_ROOT, "src", "http", "playground", "default-query.graphql");
examples.push({ name: "the playground's welcome query", source: fs.readFileSync(playground, "utf8") });

describe("documentation examples", () => {
  it("has examples to check", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((e) => [e.name, e.source]))("%s is a valid operation", (_name, source) => {
    const errors = validate(schema, parse(source));
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});
