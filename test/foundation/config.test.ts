import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AccessScope } from "../../src/auth/scope";
import { ConfigError, DEFAULT_SEMI_SPACE_MB, loadConfig, nodeRuntimeArgs } from "../../src/config";

describe("configuration from the environment", () => {
  it("has working defaults: embedded server, demo data, loopback:4000", () => {
    const config = loadConfig({}, "/srv/procgraph");
    expect(config).toEqual({
      mongodbUri: undefined,
      mongodbDb: "procgraph",
      port: 4000,
      host: "127.0.0.1",
      logLevel: "info",
      dataDir: path.resolve("/srv/procgraph", ".data"),
      seedDemo: true,
      cmdbCollectionPrefix: "",
      shutdownTimeoutMs: 10_000,
      production: false,
      introspection: true,
      corsOrigins: [],
      mongodbServerSelectionTimeoutMs: 3_000,
      mongodbReadPreference: "primary",
      limits: { maxDepth: 15, maxAliases: 100, maxTokens: 10_000, maxCost: 50_000 },
      tokensFile: undefined,
      anonymousScope: AccessScope.ALL,
      requestTimeoutMs: 15_000,
      requestBodyTimeoutMs: 5_000,
      admission: { maxConcurrent: Math.max(2, os.availableParallelism()), maxQueued: 256, maxWaitMs: 7_500 },
      healthHistory: { intervalMs: 60_000, retentionMs: 7 * 86_400_000 },
      live: { bufferSize: 1_000, maxPerConnection: 20, reauthorizeEveryMs: 5_000, watchHistorySeconds: 300 },
    });
  });

  it("reads the health-history interval and retention as durations, and off", () => {
    expect(loadConfig({ HEALTH_HISTORY_INTERVAL: "30s", HEALTH_HISTORY_RETENTION: "12h" }).healthHistory).toEqual({ intervalMs: 30_000, retentionMs: 12 * 3_600_000 });
    expect(loadConfig({ HEALTH_HISTORY_INTERVAL: "90", HEALTH_HISTORY_RETENTION: "2d" }).healthHistory).toEqual({ intervalMs: 90_000, retentionMs: 2 * 86_400_000 });
    expect(loadConfig({ HEALTH_HISTORY_INTERVAL: "off" }).healthHistory.intervalMs).toBe(0);
    expect(() => loadConfig({ HEALTH_HISTORY_INTERVAL: "5m", HEALTH_HISTORY_RETENTION: "2m" })).toThrow("invalid HEALTH_HISTORY_RETENTION=\"2m\": at least HEALTH_HISTORY_INTERVAL (5m)");
  });

  it("opens anonymous reads only on the embedded demo, unless configured", () => {
    expect(loadConfig({ MONGODB_URI: "mongodb://db.example:27017" }).anonymousScope).toBeUndefined();
    expect(loadConfig({ ANONYMOUS_SCOPE: "none" }).anonymousScope).toBeUndefined();
    expect(loadConfig({ ANONYMOUS_SCOPE: '{"cmdbBusinesses":[2,5],"paasApps":[]}' }).anonymousScope?.toJSON()).toEqual({ cmdbBusinesses: [2, 5], paasApps: [] });
  });

  it("does not seed demo data into a database given by MONGODB_URI unless asked", () => {
    expect(loadConfig({ MONGODB_URI: "mongodb://db.example:27017" }).seedDemo).toBe(false);
    expect(loadConfig({ MONGODB_URI: "mongodb://db.example:27017", SEED_DEMO: "true" }).seedDemo).toBe(true);
  });

  it("turns introspection off in production unless asked, and reads the CORS allowlist", () => {
    expect(loadConfig({ NODE_ENV: "production" })).toMatchObject({ production: true, introspection: false });
    expect(loadConfig({ NODE_ENV: "production", INTROSPECTION: "on" }).introspection).toBe(true);
    expect(loadConfig({ CORS_ORIGINS: "https://portal.example.com, http://dash:8080" }).corsOrigins).toEqual(["https://portal.example.com", "http://dash:8080"]);
  });

  it("gives node the young generation npm start and the bench run it with, from NODE_SEMI_SPACE_MB", () => {
    expect(nodeRuntimeArgs({})).toEqual([`--max-semi-space-size=${DEFAULT_SEMI_SPACE_MB}`]);
    expect(nodeRuntimeArgs({ NODE_SEMI_SPACE_MB: "16" })).toEqual(["--max-semi-space-size=16"]);
    expect(() => nodeRuntimeArgs({ NODE_SEMI_SPACE_MB: "2048" })).toThrow('invalid NODE_SEMI_SPACE_MB="2048": an integer from 1 to 1024');
  });

  it.each([
    ["ANONYMOUS_SCOPE", "everyone", "invalid ANONYMOUS_SCOPE=\"everyone\": none, all, or a JSON scope like {\"cmdbBusinesses\":[2],\"paasApps\":\"*\"} (not JSON)"],
    ["ANONYMOUS_SCOPE", '{"cmdbBusinesses":["x"]}', "invalid ANONYMOUS_SCOPE=\"{\\\"cmdbBusinesses\\\":[\\\"x\\\"]}\": none, all, or a JSON scope like {\"cmdbBusinesses\":[2],\"paasApps\":\"*\"} (ANONYMOUS_SCOPE: cmdbBusinesses must be \"*\" or a list of business ids)"],
    ["TOKENS_FILE", "/no/such/file.json", "invalid TOKENS_FILE=\"/no/such/file.json\": the path of an existing JSON file"],
    ["LIMIT_MAX_ALIASES", "49", "invalid LIMIT_MAX_ALIASES=\"49\": an integer from 50 to 100000"],
    ["CORS_ORIGINS", "*", "invalid CORS_ORIGINS=\"*\": a comma-separated list of origins such as https://portal.example.com:8443"],
    ["MONGODB_READ_PREFERENCE", "closest", "invalid MONGODB_READ_PREFERENCE=\"closest\": one of primary, primaryPreferred, secondary, secondaryPreferred, nearest"],
    ["PORT", "abc", "invalid PORT=\"abc\": an integer from 0 to 65535"],
    ["MAX_CONCURRENT_REQUESTS", "0", "invalid MAX_CONCURRENT_REQUESTS=\"0\": an integer from 1 to 10000"],
    ["MAX_QUEUED_REQUESTS", "lots", "invalid MAX_QUEUED_REQUESTS=\"lots\": an integer from 0 to 100000"],
    ["MAX_QUEUE_WAIT_MS", "20000", "invalid MAX_QUEUE_WAIT_MS=\"20000\": an integer from 0 to 15000"],
    ["LIVE_BUFFER_EVENTS", "0", "invalid LIVE_BUFFER_EVENTS=\"0\": an integer from 1 to 1000000"],
    ["LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION", "many", "invalid LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION=\"many\": an integer from 1 to 10000"],
    ["NODE_SEMI_SPACE_MB", "0", "invalid NODE_SEMI_SPACE_MB=\"0\": an integer from 1 to 1024"],
    ["NODE_SEMI_SPACE_MB", "64mb", "invalid NODE_SEMI_SPACE_MB=\"64mb\": an integer from 1 to 1024"],
    ["PAAS_WATCH_HISTORY_SECONDS", "0", "invalid PAAS_WATCH_HISTORY_SECONDS=\"0\": an integer from 1 to 86400"],
    ["PORT", "70000", "invalid PORT=\"70000\": an integer from 0 to 65535"],
    ["PORT", "-1", "invalid PORT=\"-1\": an integer from 0 to 65535"],
    ["LOG_LEVEL", "loud", "invalid LOG_LEVEL=\"loud\": one of fatal, error, warn, info, debug, trace, silent"],
    ["MONGODB_URI", "http://x", "invalid MONGODB_URI=\"http://x\": a connection string starting with mongodb:// or mongodb+srv://"],
    ["MONGODB_DB", "a.b", "invalid MONGODB_DB=\"a.b\": a database name of 1-63 characters without / \\ . space \" $ * < > : | ?"],
    ["HOST", "a b", "invalid HOST=\"a b\": a host name or IP address to listen on"],
    ["HOST", "999.1.1.1", "invalid HOST=\"999.1.1.1\": an IPv4 address (four numbers from 0 to 255), a host name or an IPv6 address"],
    ["MONGODB_URI", "mongodb://[::1", "invalid MONGODB_URI=\"mongodb://[::1\": a valid MongoDB connection string (Unable to parse [::1 with URL)"],
    ["MONGODB_URI", "mongodb://db.example/?foo=bar", "invalid MONGODB_URI=\"mongodb://db.example/?foo=bar\": a valid MongoDB connection string (option foo is not supported)"],
    ["MONGODB_URI", "mongodb://ops:s3cret@db.example/?foo=bar", "invalid MONGODB_URI=\"mongodb://ops:***@db.example/?foo=bar\": a valid MongoDB connection string (option foo is not supported)"],
    ["REQUEST_BODY_TIMEOUT_MS", "50", "invalid REQUEST_BODY_TIMEOUT_MS=\"50\": an integer from 100 to 600000"],
    ["SEED_DEMO", "maybe", "invalid SEED_DEMO=\"maybe\": one of true, false, 1, 0, yes, no, on, off"],
    ["CMDB_COLLECTION_PREFIX", "tenant", "invalid CMDB_COLLECTION_PREFIX=\"tenant\": empty, or letters, digits, - and _ ending in _ (e.g. tenant1_)"],
    ["HEALTH_HISTORY_INTERVAL", "5x", "invalid HEALTH_HISTORY_INTERVAL=\"5x\": off, or a duration from 1s to 1d such as 30s, 5m, 1h"],
    ["HEALTH_HISTORY_INTERVAL", "2d", "invalid HEALTH_HISTORY_INTERVAL=\"2d\": off, or a duration from 1s to 1d such as 30s, 5m, 1h"],
    ["HEALTH_HISTORY_RETENTION", "-1d", "invalid HEALTH_HISTORY_RETENTION=\"-1d\": a duration from 1m to 400d such as 12h, 7d"],
    ["HEALTH_HISTORY_RETENTION", "400d", "invalid HEALTH_HISTORY_RETENTION=\"400d\": at most 100000 samples of HEALTH_HISTORY_INTERVAL (1m): a longer interval or a shorter retention"],
  ])("rejects %s=%s with one line naming the variable", (name, value, message) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(name);
    expect((caught as ConfigError).message).toBe(message);
  });
});

describe("the Kubernetes sync's configuration", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-kubeconfig-"));
  const kubeconfig = path.join(dir, "config");
  fs.writeFileSync(path.join(dir, "ca.crt"), "CA");
  fs.writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
current-context: sh
clusters:
- name: c-sh
  cluster: {server: "https://10.0.0.1:6443/", certificate-authority: ca.crt}
- name: c-gz
  cluster: {server: "https://10.0.0.2:6443", certificate-authority-data: ${Buffer.from("GZCA").toString("base64")}, insecure-skip-tls-verify: true}
users:
- name: token-user
  user: {token: abc}
- name: exec-user
  user: {exec: {command: aws}}
contexts:
- name: sh
  context: {cluster: c-sh, user: token-user}
- name: gz
  context: {cluster: c-gz, user: token-user}
- name: Plugin
  context: {cluster: c-gz, user: exec-user}
`,
  );
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is off by default, takes the current context, or named contexts", () => {
    expect(loadConfig({}).paasSync).toBeUndefined();
    const current = loadConfig({ PAAS_KUBECONFIG: kubeconfig }).paasSync!;
    expect(current.leaseTtlMs).toBe(15_000);
    expect(current.clusters).toEqual([{ name: "sh", server: "https://10.0.0.1:6443", ca: Buffer.from("CA"), insecureSkipTlsVerify: false, cert: undefined, key: undefined, token: "abc", tokenFile: undefined }]);
    const named = loadConfig({ PAAS_KUBECONFIG: kubeconfig, PAAS_KUBE_CONTEXTS: "prod-sh=sh, gz", PAAS_SYNC_LEASE_TTL_MS: "5000" }).paasSync!;
    expect(named.clusters.map((c) => [c.name, c.server, c.ca?.toString(), c.insecureSkipTlsVerify])).toEqual([
      ["prod-sh", "https://10.0.0.1:6443", "CA", false],
      ["gz", "https://10.0.0.2:6443", "GZCA", true],
    ]);
    expect(named.leaseTtlMs).toBe(5000);
  });

  it.each([
    [{ PAAS_KUBECONFIG: "/no/such/kubeconfig" }, "PAAS_KUBECONFIG", 'invalid PAAS_KUBECONFIG="/no/such/kubeconfig": the path of an existing kubeconfig file'],
    [{ PAAS_KUBE_CONTEXTS: "sh" }, "PAAS_KUBE_CONTEXTS", 'invalid PAAS_KUBE_CONTEXTS="sh": only with PAAS_KUBECONFIG'],
    [{ PAAS_KUBE_CONTEXTS: "a=b=c" }, "PAAS_KUBE_CONTEXTS", expect.stringContaining('invalid PAAS_KUBE_CONTEXTS="a=b=c": a comma-separated list of kubeconfig contexts')],
    [{ PAAS_KUBE_CONTEXTS: "x=sh,x=gz" }, "PAAS_KUBE_CONTEXTS", expect.stringContaining("names unique")],
    [{ PAAS_KUBE_CONTEXTS: "nope" }, "PAAS_KUBECONFIG", expect.stringContaining('has no context "nope"')],
    [{ PAAS_KUBE_CONTEXTS: "plugin=Plugin" }, "PAAS_KUBECONFIG", expect.stringContaining("uses an exec or auth-provider plugin")],
    [{ PAAS_KUBE_CONTEXTS: "Upper=sh" }, "PAAS_KUBE_CONTEXTS", expect.stringContaining("names unique, lowercase")],
    [{ PAAS_SYNC_LEASE_TTL_MS: "10" }, "PAAS_SYNC_LEASE_TTL_MS", 'invalid PAAS_SYNC_LEASE_TTL_MS="10": an integer from 1000 to 600000'],
    [{ PAAS_IN_CLUSTER: "true" }, "PAAS_IN_CLUSTER", expect.stringContaining("true only inside a pod")],
  ])("rejects %j with one line naming %s", (env, variable, message) => {
    const withFile = "PAAS_KUBE_CONTEXTS" in env && !("PAAS_KUBECONFIG" in env) && !["sh"].includes(String(env.PAAS_KUBE_CONTEXTS)) ? { PAAS_KUBECONFIG: kubeconfig, ...env } : env;
    let caught: unknown;
    try {
      loadConfig({ ...withFile, KUBERNETES_SERVICE_HOST: undefined });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message).toEqual(message);
  });
});
