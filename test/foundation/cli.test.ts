import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { EmbeddedServerUnavailable, startEmbeddedServer } from "../../src/db/embedded/launcher";
import { PROJECT_ROOT } from "../../src/paths";

/*
 * `npm start` as a newcomer runs it: the compiled entry point, no MONGODB_URI, so procgraph starts
 * its own SecantusDB with data kept in DATA_DIR.
 */
const ENTRY = path.join(PROJECT_ROOT, "dist", "src", "index.js");

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", ...extra };
  delete env.MONGODB_URI;
  return env;
}

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  dbPort: number;
  readyAfterMs: number;
  output: () => string;
}

function startCli(dataDir: string): Promise<Started> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [ENTRY], { env: baseEnv({ PORT: "0", DATA_DIR: dataDir }), cwd: PROJECT_ROOT });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 60 s:\n${output}`)), 60_000);
    child.on("exit", (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /procgraph ready: playground at (http:\/\/\S+)\/graphql \(database: SecantusDB \S+ on 127\.0\.0\.1:(\d+) /.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, url: ready[1], dbPort: Number(ready[2]), readyAfterMs: Date.now() - startedAt, output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}, 120_000);

describe("npm start (the compiled entry point)", () => {
  it.each([
    ["PORT", "http"],
    ["LOG_LEVEL", "chatty"],
    ["MONGODB_URI", "localhost:27017"],
    ["PAAS_KUBECONFIG", "/no/such/kubeconfig"],
  ])("exits non-zero with one line naming %s when it is invalid", (name, value) => {
    const result = spawnSync(process.execPath, [ENTRY], { env: { ...baseEnv({}), [name]: value }, encoding: "utf8", timeout: 20_000 });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^procgraph: invalid ${name}=".*": `));
  });

  it("starts its own DB server, serves, keeps data across restarts, and shuts down cleanly on SIGTERM", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-cli-"));
    try {
      const first = await startCli(dataDir);
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(200);
      const query = await fetch(`${first.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ procgraph { databaseName } }" }),
      });
      expect(await query.json()).toEqual({ data: { procgraph: { databaseName: "procgraph" } } });

      const client = new MongoClient(`mongodb://127.0.0.1:${first.dbPort}/?directConnection=true`);
      await client.db("procgraph").collection("cli_probe").insertOne({ _id: "kept" } as never);
      await client.close();

      first.child.kill("SIGTERM");
      expect(await exitOf(first.child)).toBe(0);
      // The embedded server went down with procgraph.
      expect(await portAccepts(first.dbPort)).toBe(false);

      const second = await startCli(dataDir);
      expect(second.readyAfterMs).toBeLessThan(60_000);
      const again = new MongoClient(`mongodb://127.0.0.1:${second.dbPort}/?directConnection=true`);
      expect(await again.db("procgraph").collection("cli_probe").findOne({ _id: "kept" } as never)).toEqual({ _id: "kept" });
      await again.close();
      second.child.kill("SIGINT");
      expect(await exitOf(second.child)).toBe(0);
      expect(await portAccepts(second.dbPort)).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it("takes the embedded server down with it even when killed with SIGKILL", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-kill-"));
    try {
      const started = await startCli(dataDir);
      started.child.kill("SIGKILL");
      await exitOf(started.child);
      const deadline = Date.now() + 15_000;
      while ((await portAccepts(started.dbPort)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await portAccepts(started.dbPort)).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("npm run sync -- k8s (the standalone Kubernetes sync)", () => {
  const SYNC = path.join(PROJECT_ROOT, "dist", "src", "paas", "sync", "command.js");
  it.each([
    [[], /^usage: npm run sync -- k8s /],
    [["k8s"], /^procgraph sync: no cluster: give --kubeconfig FILE/],
    [["k8s", "--kubeconfig", "/no/such/kubeconfig"], /^procgraph sync: invalid PAAS_KUBECONFIG="\/no\/such\/kubeconfig": the path of an existing kubeconfig file$/],
    [["k8s", "--kubeconfig"], /^--kubeconfig needs a value$/],
    [["k8s", "--once", "--timeout", "soon"], /^--timeout: a number of seconds/],
    [["k8s", "--watch"], /^unknown option "--watch"/],
  ])("exits 2 on %j, saying why first", (args, first) => {
    const result = spawnSync(process.execPath, [SYNC, ...args], { env: baseEnv({}), encoding: "utf8", timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")[0]).toMatch(first);
  });
});

describe("embedded server launcher", () => {
  it("says in one line what to install or set when nothing can be started", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "procgraph-nodb-"));
    const previous = process.env.PYTHON;
    process.env.PYTHON = path.join(root, "no-such-python");
    try {
      const attempt = startEmbeddedServer({ projectRoot: root });
      await expect(attempt).rejects.toBeInstanceOf(EmbeddedServerUnavailable);
      const message = ((await attempt.catch((e: unknown) => e)) as Error).message;
      expect(message.split("\n")).toHaveLength(1);
      expect(message).toMatch(/^no MongoDB-compatible server could be started \(SecantusDB: could not install SecantusDB 0\.7\.0b3 .*\)\. Install python3 with venv and pip .* or set MONGODB_URI to a running MongoDB\.$/);
    } finally {
      if (previous === undefined) delete process.env.PYTHON;
      else process.env.PYTHON = previous;
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
