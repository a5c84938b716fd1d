import fs from "node:fs";
import path from "node:path";
import { buildSchema, Kind, parse, validate, type DocumentNode } from "graphql";
import { PROJECT_ROOT } from "../../src/paths";

/**
 * Every ```graphql block in the README and docs/ parses, and every operation among them is valid
 * against the checked-in schema. A block that is schema (SDL) is not an operation (it only has to
 * parse); a block starting `# gateway query` runs against a portal's gateway, not procgraph. A
 * block that does not parse fails, naming its file and example: a reader would copy it as it is.
 */
const schema = buildSchema(fs.readFileSync(path.join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8"));
const files = ["README.md", ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

interface Example {
  name: string;
  source: string;
  /** The parse error, when the block does not parse. */
  unparsable?: string;
}

const blocks: Example[] = files.flatMap((file) =>
  [...fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8").matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((match, index) => {
    const source = match[1];
    if (source.startsWith("# gateway query")) return [];
    const name = `${file} #${index + 1} (${JSON.stringify(source.split("\n").find((line) => line.trim() !== "")?.trim().slice(0, 60) ?? "")})`;
    try {
      parse(source);
    } catch (error) {
      return [{ name, source, unparsable: (error as Error).message }];
    }
    return [{ name, source }];
  }),
);
const isExecutable = (document: DocumentNode) => document.definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION);
const examples = blocks.filter((block) => !block.unparsable && isExecutable(parse(block.source)));

const playground = path.join(PROJECT_ROOT, "src", "http", "playground", "default-query.graphql");
examples.push({ name: "the playground's welcome query", source: fs.readFileSync(playground, "utf8") });

describe("documentation examples", () => {
  it.each(blocks.map((b) => [b.name, b.unparsable]))("%s parses", (_name, unparsable) => {
    expect(unparsable).toBeUndefined();
  });

  it("has examples to check", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((e) => [e.name, e.source]))("%s is a valid operation", (_name, source) => {
    const errors = validate(schema, parse(source));
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});
