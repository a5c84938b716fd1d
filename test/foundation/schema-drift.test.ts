import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getSchema, printSchemaFile } from "../../src/graphql/schema";
import { modules } from "../../src/modules";
import { PROJECT_ROOT } from "../../src/paths";

describe("generated files are current", () => {
  it("schema/schema.graphql is what the code builds (run `npm run schema`)", async () => {
    const checkedIn = fs.readFileSync(path.join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8");
    expect(printSchemaFile(await getSchema(modules))).toBe(checkedIn);
  });

  it("test/generated/graphql.ts is what codegen.yml generates (run `npm run codegen`)", () => {
    // The CLI runs in a child process: its ESM dependencies do not load inside jest's CommonJS runtime.
    const result = spawnSync(path.join(PROJECT_ROOT, "node_modules", ".bin", "graphql-codegen"), ["--config", "codegen.yml", "--check"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });
    expect({ status: result.status, output: result.status === 0 ? "" : `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: "" });
  });
});
