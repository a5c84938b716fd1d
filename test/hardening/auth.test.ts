import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runTokenCommand, UsageError } from "../../src/auth/tokenCommand";
import { hashToken, TokenStore, TOKENS_COLLECTION } from "../../src/auth/tokens";
import { ViewerDocument } from "../generated/graphql";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

const FILE_TOKEN = "file-token-0123456789abcdef";
const tokensFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-tokens-")), "tokens.json");
fs.writeFileSync(tokensFile, JSON.stringify({ tokens: [{ name: "dashboard", sha256: hashToken(FILE_TOKEN), scope: { cmdbBusinesses: [3, 2], paasApps: ["billing"] } }] }));

const database = useTestDatabase();
const server = useTestServer(database, { ANONYMOUS_SCOPE: "none", TOKENS_FILE: tokensFile });

describe("authentication", () => {
  it("refuses a request without a token with 401 UNAUTHENTICATED when anonymous reads are off", async () => {
    const result = await server.graphql(ViewerDocument);
    expect(result.status).toBe(401);
    expect(result.errors).toEqual([{ message: "authentication required: send Authorization: Bearer <token>", extensions: { code: "UNAUTHENTICATED" } }]);
  });

  it("refuses an unknown token", async () => {
    const result = await server.graphql(ViewerDocument, {}, { authorization: "Bearer not-a-real-token-at-all" });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]).toEqual({ message: "invalid or revoked token", extensions: { code: "UNAUTHENTICATED" } });
  });

  it("accepts a token from the operator's file, with its scope", async () => {
    const result = await server.graphql(ViewerDocument, {}, { authorization: `Bearer ${FILE_TOKEN}` });
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ viewer: { principal: "dashboard", anonymous: false, cmdbBusinesses: [2, 3], paasApps: ["billing"] } });
  });

  it("accepts a token created in MongoDB (stored hashed), also in the x-procgraph-token header", async () => {
    const output = await runTokenCommand(database.db, ["create", "--name", "portal", "--cmdb-businesses", "*", "--paas-apps", "shop,billing"]);
    const token = output.split("\n")[1];
    expect(token).toMatch(/^pgt_[A-Za-z0-9_-]{43}$/);
    const stored = await database.db.collection(TOKENS_COLLECTION).findOne({ name: "portal" }, { projection: { _id: 0, createdAt: 0 } });
    expect(stored).toEqual({ name: "portal", sha256: hashToken(token), scope: { cmdbBusinesses: "*", paasApps: ["shop", "billing"] } });
    expect(JSON.stringify(await database.db.collection(TOKENS_COLLECTION).find().toArray())).not.toContain(token);

    const result = await server.graphql(ViewerDocument, {}, { "x-procgraph-token": token });
    expect(result.data).toEqual({ viewer: { principal: "portal", anonymous: false, cmdbBusinesses: null, paasApps: ["billing", "shop"] } });
  });

  it("stops accepting a revoked token", async () => {
    const output = await runTokenCommand(database.db, ["create", "--name", "temp", "--cmdb-businesses", "7"]);
    const token = output.split("\n")[1];
    const store = new TokenStore(database.db.collection(TOKENS_COLLECTION), undefined, 0);
    expect((await store.resolve(token))?.name).toBe("temp");
    expect(await runTokenCommand(database.db, ["revoke", "--name", "temp"])).toMatch(/^token temp revoked/);
    expect(await store.resolve(token)).toBeNull();
  });

  it("rejects bad token commands with a usage error", async () => {
    await expect(runTokenCommand(database.db, ["create", "--name", "x y"])).rejects.toBeInstanceOf(UsageError);
    await expect(runTokenCommand(database.db, ["create", "--name", "ok", "--cmdb-businesses", "a,b"])).rejects.toThrow(/cmdbBusinesses must be/);
    await expect(runTokenCommand(database.db, ["create", "--name", "portal"])).rejects.toThrow(/exists already/);
    await expect(runTokenCommand(database.db, ["frobnicate"])).rejects.toThrow(/unknown command/);
  });

  it("keeps health, readiness and the playground page open", async () => {
    expect((await server.request("/healthz")).status).toBe(200);
    expect((await server.request("/readyz")).status).toBe(200);
    expect((await server.request("/graphql", { headers: { accept: "text/html" } })).status).toBe(200);
  });
});

describe("anonymous reads allowed for a scope", () => {
  const anonymousDatabase = useTestDatabase();
  const anonymousServer = useTestServer(anonymousDatabase, { ANONYMOUS_SCOPE: '{"cmdbBusinesses":[2],"paasApps":"*"}' });

  it("gives a request without a token the configured scope", async () => {
    const result = await anonymousServer.graphql(ViewerDocument);
    expect(result.data).toEqual({ viewer: { principal: "anonymous", anonymous: true, cmdbBusinesses: [2], paasApps: null } });
  });
});
