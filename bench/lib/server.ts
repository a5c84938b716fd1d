import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { nodeRuntimeArgs } from "../../src/config";
import { PROJECT_ROOT } from "../../src/paths";

// USER_HZ: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS_PER_SECOND = 100;

export interface ChildServer {
  url: string;
  pid: number;
  /** Peak resident set size so far (Linux VmHWM), in MiB. */
  peakRssMiB(): number;
  /** Resident set size now (Linux VmRSS), in KiB. */
  rssKiB(): number;
  /** CPU time the process has used so far (user + system, Linux), in microseconds; NaN elsewhere. */
  cpuMicros(): number;
  stop(): Promise<void>;
}

/**
 * Starts a server entry point as its own process and waits for its "ready … http://…" line.
 * Every server (procgraph and the bare Apollo it is compared with) runs with the node flags
 * `npm start` uses (nodeRuntimeArgs); `BENCH_SERVER_NODE_ARGS` adds to them, e.g.
 * `--cpu-prof --cpu-prof-dir=prof` (node refuses those in NODE_OPTIONS) or another
 * `--max-semi-space-size` (the last one wins).
 */
export function startChildServer(entry: string, env: Record<string, string>, readyPattern: RegExp): Promise<ChildServer> {
  const nodeArgs = [...nodeRuntimeArgs({ ...process.env, ...env }), ...(process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean)];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", PORT: "0", ...env },
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry}: not ready within 120 s\n${output}`)), 120_000);
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code}\n${output}`)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = readyPattern.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        pid: child.pid!,
        peakRssMiB() {
          const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
          const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
          return kb / 1024;
        },
        rssKiB() {
          const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
          return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
        },
        cpuMicros() {
          // Nanoseconds on the CPU of every thread (main, GC helpers, libuv's pool), from schedstat;
          // /proc/<pid>/stat counts 10 ms ticks, too coarse for a block of a few requests.
          try {
            let nanos = 0;
            for (const task of fs.readdirSync(`/proc/${child.pid}/task`)) {
              nanos += Number(fs.readFileSync(`/proc/${child.pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
            }
            return nanos / 1000;
          } catch {
            try {
              // Fields 14 and 15 (utime, stime) in clock ticks, after the parenthesised command name.
              const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
              return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
            } catch {
              return Number.NaN;
            }
          }
        },
        stop() {
          return new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          });
        },
      });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
  });
}

/** procgraph on the bench's database; `entry` another build's dist/src/index.js (paired comparisons). */
export function startProcgraphChild(mongodbUri: string, mongodbDb: string, env: Record<string, string> = {}, entry = path.join(PROJECT_ROOT, "dist", "src", "index.js")): Promise<ChildServer> {
  return startChildServer(
    entry,
    {
      MONGODB_URI: mongodbUri,
      MONGODB_DB: mongodbDb,
      SEED_DEMO: "false",
      ANONYMOUS_SCOPE: "all",
      // The benchmark's queries are large on purpose; the limits are not what is measured.
      LIMIT_MAX_COST: "100000000",
      LIMIT_MAX_DEPTH: "50",
      // The health sampler's minute job (an aggregation over every process) is background work, not
      // a request's: it would land in whichever CPU block or latency sample it falls into.
      HEALTH_HISTORY_INTERVAL: "off",
      ...env,
    },
    /procgraph ready: playground at (http:\/\/\S+)\/graphql/,
  );
}

export function startBareApolloChild(): Promise<ChildServer> {
  return startChildServer(path.join(PROJECT_ROOT, "dist", "bench", "bareApollo.js"), {}, /bare apollo ready at (http:\/\/\S+)\/graphql/);
}

/** POSTs a GraphQL document and returns the parsed body; throws on GraphQL errors. */
export async function postGraphQL<T = unknown>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data as T;
}

/** The REST compatibility endpoint's answer for a page from the start (the whole upstream envelope); throws unless `result`. */
export async function postRelatedInfo(url: string, bkBizId: number, fields: string[], limit: number): Promise<unknown> {
  const response = await fetch(`${url}/api/v3/findmany/proc/process_related_info/biz/${bkBizId}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fields, page: { start: 0, limit } }),
  });
  const body = (await response.json()) as { result: boolean };
  if (!body.result) throw new Error(`REST failed: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}
