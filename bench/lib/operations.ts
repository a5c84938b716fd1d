import fs from "node:fs";
import path from "node:path";
import { Kind, parse, print, type DocumentNode } from "graphql";
import { PROJECT_ROOT } from "../../src/paths";

/**
 * One named operation from the tests' .graphql files (with the fragments it uses), so the
 * benchmark measures exactly the queries the tests assert on. Read as text: the bench must build
 * even while the generated documents are being regenerated.
 */
export function loadOperation(file: string, name: string): string {
  const document: DocumentNode = parse(fs.readFileSync(path.join(PROJECT_ROOT, "test", "operations", file), "utf8"));
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
  if (!operation) throw new Error(`no operation ${name} in test/operations/${file}`);
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] });
}
