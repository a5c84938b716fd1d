import type { Db } from "mongodb";
import { parseScope, type ScopeDefinition } from "./scope";
import { ensureTokenIndexes, generateToken, hashToken, TOKENS_COLLECTION, type StoredToken } from "./tokens";

export const TOKEN_USAGE =
  "usage: npm run token -- create --name NAME [--cmdb-businesses *|ID,ID…] [--paas-apps *|CODE,CODE…] [--print-only]\n" +
  "       npm run token -- list\n" +
  "       npm run token -- revoke --name NAME";

export class UsageError extends Error {
  override name = "UsageError";
}

function options(argv: string[]): Map<string, string | true> {
  const result = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!flag.startsWith("--")) throw new UsageError(`unexpected argument ${flag}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) result.set(flag.slice(2), true);
    else {
      result.set(flag.slice(2), next);
      i++;
    }
  }
  return result;
}

function listOption(value: string | true | undefined, name: string, parse: (item: string) => number | string): "*" | Array<number | string> {
  if (value === undefined) return [];
  if (value === true) throw new UsageError(`--${name} needs a value`);
  if (value.trim() === "*") return "*";
  return value.split(",").map((item) => parse(item.trim()));
}

/** Runs one token command against the database; returns what to print. Never prints a token twice. */
export async function runTokenCommand(db: Db, argv: string[]): Promise<string> {
  const [command, ...rest] = argv;
  const opts = options(rest);
  const collection = db.collection<StoredToken>(TOKENS_COLLECTION);
  switch (command) {
    case "create": {
      const name = opts.get("name");
      if (typeof name !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new UsageError("--name is required: 1-64 letters, digits, . _ -");
      const definition: ScopeDefinition = {
        cmdbBusinesses: listOption(opts.get("cmdb-businesses"), "cmdb-businesses", Number) as ScopeDefinition["cmdbBusinesses"],
        paasApps: listOption(opts.get("paas-apps"), "paas-apps", String) as ScopeDefinition["paasApps"],
      };
      try {
        parseScope(definition, "scope");
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const token = generateToken();
      const entry: StoredToken = { name, sha256: hashToken(token), scope: definition };
      if (opts.get("print-only") !== true) {
        await ensureTokenIndexes(db);
        if (await collection.findOne({ name })) throw new UsageError(`a token named ${name} exists already (revoke it, or choose another name)`);
        await collection.insertOne({ ...entry, createdAt: new Date() });
      }
      return [
        `token ${name} created; it is shown only now:`,
        token,
        "",
        "for a TOKENS_FILE, the entry is:",
        JSON.stringify(entry),
      ].join("\n");
    }
    case "list": {
      const stored = await collection.find({}, { projection: { _id: 0, sha256: 0 } }).sort({ name: 1 }).toArray();
      if (stored.length === 0) return `no tokens in ${TOKENS_COLLECTION}`;
      return stored.map((t) => `${t.name}${t.disabled ? " (revoked)" : ""}\t${JSON.stringify(t.scope)}`).join("\n");
    }
    case "revoke": {
      const name = opts.get("name");
      if (typeof name !== "string") throw new UsageError("--name is required");
      const result = await collection.updateOne({ name }, { $set: { disabled: true } });
      if (result.matchedCount === 0) throw new UsageError(`no token named ${name}`);
      return `token ${name} revoked (servers stop accepting it within 30 s)`;
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : "a command is required");
  }
}
