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

/**
 * Comments, test names and schema descriptions cite `docs/<file>.md` and a heading of it, as
 * `docs/paas.md, "Computed values"`: each cited file exists and has that heading (backticks aside;
 * a citation may give a heading's beginning), so a maintainer with only the repository can follow it.
 */
describe("citations of docs/", () => {
  const sourceFiles = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) return entry.name === "generated" || entry.name === "node_modules" ? [] : sourceFiles(full);
          return /\.(ts|js|sh)$/.test(entry.name) ? [full] : [];
        })
      : [];
  const headings = new Map<string, string[]>();
  const headingsOf = (file: string): string[] | undefined => {
    if (!headings.has(file)) {
      const full = path.join(PROJECT_ROOT, file);
      if (!fs.existsSync(full)) return undefined;
      headings.set(file, [...fs.readFileSync(full, "utf8").matchAll(/^#+ +(.+)$/gm)].map((m) => m[1].replace(/`/g, "").trim()));
    }
    return headings.get(file);
  };
  const citations = ["src", "test", "bench", "scripts", "web"].flatMap((dir) =>
    sourceFiles(path.join(PROJECT_ROOT, dir)).flatMap((file) => {
      const text = fs.readFileSync(file, "utf8");
      // The heading may follow on the next comment line.
      return [...text.matchAll(/(docs\/[A-Za-z0-9-]+\.md)(?:,?[\s*/]*\\?"((?:[^"\\\n]|\\.)+?)\\?")?/g)].map((m) => ({
        at: `${path.relative(PROJECT_ROOT, file)}: ${m[0].replace(/\s+/g, " ")}`,
        file: m[1],
        heading: m[2]?.replace(/`/g, "").trim(),
      }));
    }),
  );

  it("finds citations to check", () => {
    expect(citations.filter((c) => c.heading).length).toBeGreaterThanOrEqual(50);
  });

  it("cites only files and headings that exist", () => {
    const broken = citations.filter((c) => {
      const list = headingsOf(c.file);
      return list === undefined || (c.heading !== undefined && !list.some((h) => h === c.heading || h.startsWith(c.heading!)));
    });
    expect(broken.map((c) => c.at)).toEqual([]);
  });
});
