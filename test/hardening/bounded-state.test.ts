import { randomBytes } from "node:crypto";
import { runTokenCommand } from "../../src/auth/tokenCommand";
import { clientKey, FAILED_AUTH_BURST, FailedAuthThrottle } from "../../src/auth/throttle";
import { TOKENS_COLLECTION, TokenStore } from "../../src/auth/tokens";
import { MAX_OPERATION_LABELS } from "../../src/observability/metrics";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";

/*
 * Per-client and per-name state must stay bounded whatever clients send: operation names become
 * metric labels, tokens are cached, failed authentications are remembered per address.
 */
const database = useTestDatabase();
const server = useTestServer(database, { ANONYMOUS_SCOPE: "all" });

/** Runs `count` requests, `concurrency` at a time, reading each response (or handing it to `onResponse`). */
async function flood(count: number, concurrency: number, send: (i: number) => Promise<Response>, onResponse?: (i: number, response: Response) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const response = await send(i);
        if (onResponse) await onResponse(i, response);
        else await response.arrayBuffer();
      }
    }),
  );
}

const graphql = (query: string, headers: Record<string, string> = {}) =>
  server.request("/graphql", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
const metricsText = async () => (await server.request("/metrics")).text();

describe("operation names as metric labels", () => {
  it("keeps /metrics bounded under 20,000 distinct operation names: the first ones keep their label, the rest count as (other)", async () => {
    await graphql("query Dashboard { __typename }");
    const before = (await metricsText()).length;
    const statuses: number[] = [];
    await flood(20_000, 16, (i) => graphql(`query Op${i} { __typename }`), async (_i, response) => {
      statuses.push(response.status);
      await response.arrayBuffer();
    });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const text = await metricsText();
    // Each name costs its counter and its histogram (about 1.5 KB); 100 of them, and one more series.
    expect(text.length).toBeLessThan(before + (MAX_OPERATION_LABELS + 1) * 2_000);
    expect(text).toContain('procgraph_graphql_requests_total{operation="Dashboard",outcome="success"} 1');
    expect(text).toContain('procgraph_graphql_requests_total{operation="Op0",outcome="success"} 1');
    const named = new Set([...text.matchAll(/procgraph_graphql_requests_total\{operation="([^"]+)"/g)].map((m) => m[1]));
    expect(named.size).toBe(MAX_OPERATION_LABELS + 1);
    expect(named).toContain("(other)");
    const other = [...text.matchAll(/procgraph_graphql_requests_total\{operation="\(other\)",outcome="\w+"\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(other).toBe(20_000 - (MAX_OPERATION_LABELS - 1));
  }, 180_000);
});

describe("unknown tokens", () => {
  it("cost a bounded number of MongoDB lookups: after a burst, an address that keeps failing gets 429, and a known token still passes", async () => {
    const known = (await runTokenCommand(database.db, ["create", "--name", "dashboard", "--cmdb-businesses", "*", "--paas-apps", "*"])).split("\n")[1];
    expect((await graphql("{ viewer { principal } }", { authorization: `Bearer ${known}` })).status).toBe(200);

    const statuses = new Map<number, number>();
    const startedAt = Date.now();
    const { commands } = await database.recordCommands(() =>
      flood(
        5_000,
        16,
        () => graphql("{ __typename }", { authorization: `Bearer pgt_${randomBytes(24).toString("base64url")}` }),
        async (_i, response) => {
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          await response.arrayBuffer();
        },
      ),
    );
    const seconds = (Date.now() - startedAt) / 1000;
    const lookups = commands.filter((c) => c.collection === TOKENS_COLLECTION).length;
    // The burst, one more per second, and the lookups already running when the bucket emptied.
    expect(lookups).toBeLessThanOrEqual(FAILED_AUTH_BURST + Math.ceil(seconds) + 16);
    expect(statuses.get(401)).toBe(lookups);
    expect(statuses.get(429)).toBe(5_000 - lookups);

    const limited = await graphql("{ __typename }", { authorization: "Bearer pgt_one-more-unknown-token-0123456789" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({ errors: [{ message: expect.stringMatching(/^too many failed authentications from this address; try again in \d+ s$/), extensions: { code: "RATE_LIMITED" } }] });
    const cmdb = await server.request("/api/v3/findmany/proc/process_related_info/biz/2", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer pgt_one-more-unknown-token-0123456789" },
      body: "{}",
    });
    expect(cmdb.status).toBe(429);
    expect(await cmdb.json()).toMatchObject({ result: false, bk_error_code: 1199997 });
    const paas = await server.request("/api/bkapps/applications/x/modules/default/envs/prod/processes/list/", { headers: { authorization: "Bearer pgt_one-more-unknown-token-0123456789" } });
    expect(paas.status).toBe(429);
    expect(await paas.json()).toEqual({ code: "RATE_LIMITED", detail: expect.stringMatching(/^too many failed authentications/) });

    // A token already known valid is answered from memory: the throttle is for guesses.
    const allowed = await graphql("{ viewer { principal } }", { authorization: `Bearer ${known}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { viewer: { principal: "dashboard" } } });

    const text = await metricsText();
    expect(Number(/procgraph_auth_state_entries\{state="unknown"\} (\d+)/.exec(text)?.[1])).toBe(lookups);
    expect(text).toContain('procgraph_auth_state_entries{state="throttled_addresses"} 1');
  }, 120_000);
});

describe("the token cache", () => {
  it("is an LRU of a bounded size, known and unknown tokens apart, each answer read from MongoDB once per TTL", async () => {
    const known = (await runTokenCommand(database.db, ["create", "--name", "cached", "--cmdb-businesses", "2"])).split("\n")[1];
    const store = new TokenStore(database.db.collection(TOKENS_COLLECTION), undefined, 30_000, 100);
    const unknown = Array.from({ length: 300 }, (_, i) => `pgt_unknown-${i}-${"x".repeat(20)}`);
    const first = await database.recordCommands(async () => {
      expect((await store.resolve(known))?.name).toBe("cached");
      for (const token of unknown) expect(await store.resolve(token)).toBeNull();
    });
    expect(first.commands).toHaveLength(301);
    expect(store.cacheSize).toEqual({ known: 1, unknown: 100 });
    // The last 100 are cached, the known token too (a flood of unknown ones does not evict it).
    const again = await database.recordCommands(async () => {
      expect((await store.resolve(known))?.name).toBe("cached");
      for (const token of unknown.slice(200)) expect(await store.resolve(token)).toBeNull();
    });
    expect(again.commands).toHaveLength(0);
    const evicted = await database.recordCommands(() => store.resolve(unknown[0]));
    expect(evicted.commands).toHaveLength(1);
    expect(store.cacheSize).toEqual({ known: 1, unknown: 100 });
  });
});

describe("the failed-authentication throttle", () => {
  it("remembers a bounded number of addresses, IPv6 by /64, and refills each address's allowance over time", async () => {
    const throttle = new FailedAuthThrottle(3, 100, 50);
    for (let i = 0; i < 200; i++) throttle.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(throttle.trackedAddresses).toBe(50);
    for (let i = 0; i < 3; i++) throttle.failed("2001:db8:1:2::1");
    expect(throttle.retryAfterSeconds("2001:db8:1:2:ffff::9")).toBe(1);
    expect(throttle.retryAfterSeconds("2001:db8:1:3::1")).toBe(0);
    await new Promise((r) => setTimeout(r, 150));
    expect(throttle.retryAfterSeconds("2001:db8:1:2::1")).toBe(0);
    expect(clientKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("2001:DB8:0001:0002:0:0:0:1")).toBe("2001:db8:1:2::/64");
  });
});
