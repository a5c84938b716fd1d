import { GraphQLError } from "graphql";
import pino from "pino";
import { AccessScope } from "../../src/auth/scope";
import { loadConfig } from "../../src/config";
import { DeadlineExceededError, isTimeout, queryTimeLeft } from "../../src/db/health";
import { createRequestContext } from "../../src/graphql/context";
import { DocumentLoader, LoaderRegistry } from "../../src/graphql/loaders";
import { formatError } from "../../src/http/graphqlPipeline";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();
const access = { principal: "test", anonymous: false, scope: AccessScope.ALL };

beforeAll(async () => {
  const docs = Array.from({ length: 20_000 }, (_, i) => ({ n: i, text: `row ${i} ${"x".repeat(50)}` }));
  for (let i = 0; i < docs.length; i += 5_000) await database.db.collection("big").insertMany(docs.slice(i, i + 5_000));
});

describe("the per-request deadline", () => {
  it("bounds a query by the time left (maxTimeMS), and refuses to start one after the deadline", async () => {
    const config = { ...loadConfig({}), requestTimeoutMs: 5 };
    const ctx = createRequestContext({ config, client: database.client, db: database.db, logger: pino({ level: "silent" }) }, { requestId: "r1", headers: {} }, access);
    const slow = ctx.query((timeout) => ctx.db.collection("big").find({ text: { $regex: "no such row$" } }, timeout).toArray());
    const error = await slow.then(() => undefined, (e: unknown) => e);
    expect(isTimeout(error)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    const run = jest.fn(async () => "ran");
    // Refused by a rejection, never a synchronous throw, and without running the query.
    const late = ctx.query(run);
    await expect(late).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(run).not.toHaveBeenCalled();
  });

  it("stops a loader from querying once the deadline has passed", async () => {
    const deadline = Date.now() - 1;
    const registry = new LoaderRegistry({ bounds: () => ({ maxTimeMS: queryTimeLeft(deadline, undefined) }) });
    const loader = registry.get("big", () => new DocumentLoader({ collection: database.db.collection("big"), keyField: "n" }));
    const { result, commands } = await database.recordCommands(() => loader.load(1, new Set(["text"])).then(() => undefined, (e: unknown) => e));
    expect(result).toBeInstanceOf(DeadlineExceededError);
    expect(commands).toHaveLength(0);
  });

  it("gives loaders the time left, not the whole timeout", async () => {
    const deadline = Date.now() + 5_000;
    const registry = new LoaderRegistry({ bounds: () => ({ maxTimeMS: queryTimeLeft(deadline, undefined) }) });
    const loader = registry.get("big", () => new DocumentLoader({ collection: database.db.collection("big"), keyField: "n" }));
    const { commands } = await database.recordCommands(() => loader.load(7, new Set(["text"])));
    const maxTimeMS = commands[0].command.maxTimeMS as number;
    expect(maxTimeMS).toBeGreaterThan(0);
    expect(maxTimeMS).toBeLessThanOrEqual(5_000);
  });

  it("is reported as TIMEOUT, naming the configured deadline", () => {
    const format = formatError({ logger: pino({ level: "silent" }), config: { ...loadConfig({}), requestTimeoutMs: 2_500 } });
    const wrapped = new GraphQLError("x", { originalError: new DeadlineExceededError("late"), path: ["cmdbProcesses"] });
    expect(format({ message: "x", path: ["cmdbProcesses"], extensions: { code: "INTERNAL_SERVER_ERROR" } }, wrapped)).toEqual({
      message: "the request took longer than its deadline of 2500 ms (REQUEST_TIMEOUT_MS)",
      path: ["cmdbProcesses"],
      locations: undefined,
      extensions: { code: "TIMEOUT" },
    });
  });
});
