import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { getSchema, printSchemaFile } from "../src/graphql/schema";
import { modules } from "../src/modules";
import { PROJECT_ROOT } from "../src/paths";

/** `npm run schema`: writes schema/schema.graphql from the code (the test suite fails when it drifts). */
async function main(): Promise<void> {
  const file = path.join(PROJECT_ROOT, "schema", "schema.graphql");
  const printed = printSchemaFile(await getSchema(modules));
  const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  fs.writeFileSync(file, printed);
  process.stdout.write(before === printed ? `${path.relative(PROJECT_ROOT, file)} is up to date\n` : `wrote ${path.relative(PROJECT_ROOT, file)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
