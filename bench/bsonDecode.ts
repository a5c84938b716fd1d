import { spawnSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import v8 from "node:v8";
import { BSON, Long, ObjectId, type Document } from "mongodb";
import { decodeDocument, DRIVER_OPTIONS } from "../src/db/bsonDecode";
import { prng } from "../src/seed/random";

/**
 * Micro-benchmark: decodeDocument against the driver's BSON.deserialize(bytes, DRIVER_OPTIONS) on
 * 500 raw documents shaped like bk-cmdb's processes (every integer an int64, short ASCII strings,
 * dates, an ObjectId `_id`, a bind_info array). The two sides run alternately, in several rounds;
 * it prints CPU time (process.cpuUsage) and bytes allocated per document, and their ratios.
 *
 * Allocation is read as the growth of the young generation over one pass of 500 documents; the
 * script runs itself with a 64 MiB semi-space so that few passes see a scavenge, and drops those
 * that do (the heap shrank). Run: `npx tsc -p tsconfig.build.json && node dist/bench/bsonDecode.js`.
 */
const SEMI_SPACE_FLAG = "--max-semi-space-size=64";
const DOCUMENTS = 500;
const ROUNDS = 10;
const PASSES_PER_ROUND = 60;

function processDocuments(): Buffer[] {
  const random = prng(2024);
  const i64 = (n: number) => Long.fromNumber(n);
  const funcs = ["nginx", "java", "mysqld", "redis-server", "gse_agent", "python3"];
  const users = ["root", "app", "mysql", "nobody"];
  return Array.from({ length: DOCUMENTS }, (_, i) => {
    const func = funcs[i % funcs.length];
    const ip = `10.${(i >> 8) & 255}.${i & 255}.${1 + Math.floor(random() * 250)}`;
    const created = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 3e10));
    const bindInfo = Array.from({ length: 1 + (i % 2) }, (__, j) => ({
      enable: random() < 0.8,
      ip,
      port: String(8000 + j + (i % 100)),
      protocol: "1",
      template_row_id: i64(j + 1),
    }));
    const document: Document = {
      _id: new ObjectId(),
      bk_process_id: i64(100_000 + i),
      bk_process_name: `${func}-${i}`,
      bk_func_name: func,
      bk_biz_id: i64(2 + (i % 7)),
      service_instance_id: i64(50_000 + Math.floor(i / 2)),
      bk_host_id: i64(3_000 + Math.floor(i / 3)),
      description: "",
      bk_start_param_regex: "",
      work_path: `/data/${func}`,
      user: users[i % users.length],
      proc_num: i64(1 + Math.floor(random() * 4)),
      priority: i64(1 + Math.floor(random() * 10)),
      timeout: i64(30),
      bk_start_check_secs: i64(5),
      start_cmd: `./start_${func}.sh`,
      stop_cmd: `./stop_${func}.sh`,
      pid_file: `/var/run/${func}.pid`,
      auto_start: random() < 0.5,
      bind_info: bindInfo,
      custom_level: i64(1 + Math.floor(random() * 5)),
      bk_supplier_account: "0",
      create_time: created,
      last_time: created,
    };
    return Buffer.from(BSON.serialize(document));
  });
}

const sink: unknown[] = new Array<unknown>(DOCUMENTS);
const bsonSide = (bytes: Buffer) => BSON.deserialize(bytes, DRIVER_OPTIONS);

interface Totals {
  cpuMicros: number;
  documents: number;
  allocatedBytes: number;
  allocationDocuments: number;
  droppedPasses: number;
}

function youngUsed(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_used_size ?? 0;
}

function run(decode: (bytes: Buffer) => unknown, documents: Buffer[], totals: Totals): void {
  const start = process.cpuUsage();
  for (let pass = 0; pass < PASSES_PER_ROUND; pass++) {
    const before = youngUsed();
    for (let i = 0; i < documents.length; i++) sink[i] = decode(documents[i]);
    const grown = youngUsed() - before;
    if (grown > 0) {
      totals.allocatedBytes += grown;
      totals.allocationDocuments += documents.length;
    } else totals.droppedPasses++;
  }
  const used = process.cpuUsage(start);
  totals.cpuMicros += used.user + used.system;
  totals.documents += PASSES_PER_ROUND * documents.length;
}

function main(): void {
  if (!process.execArgv.includes(SEMI_SPACE_FLAG)) {
    const child = spawnSync(process.execPath, [SEMI_SPACE_FLAG, ...process.execArgv, __filename, ...process.argv.slice(2)], { stdio: "inherit" });
    process.exit(child.status ?? 1);
  }
  const documents = processDocuments();
  for (const bytes of documents) {
    if (!isDeepStrictEqual(decodeDocument(bytes), BSON.deserialize(bytes, DRIVER_OPTIONS))) throw new Error("decodeDocument differs from bson on the benchmark's documents");
  }
  const averageSize = documents.reduce((sum, bytes) => sum + bytes.length, 0) / documents.length;
  const fresh = (): Totals => ({ cpuMicros: 0, documents: 0, allocatedBytes: 0, allocationDocuments: 0, droppedPasses: 0 });
  const ours = fresh();
  const theirs = fresh();
  // One warm-up round each, not counted.
  run(decodeDocument, documents, fresh());
  run(bsonSide, documents, fresh());
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      run(decodeDocument, documents, ours);
      run(bsonSide, documents, theirs);
    } else {
      run(bsonSide, documents, theirs);
      run(decodeDocument, documents, ours);
    }
  }
  const perDocument = (t: Totals) => ({ micros: t.cpuMicros / t.documents, bytes: t.allocatedBytes / Math.max(1, t.allocationDocuments) });
  const a = perDocument(ours);
  const b = perDocument(theirs);
  const line = (name: string, p: { micros: number; bytes: number }, t: Totals) =>
    `${name.padEnd(18)} ${p.micros.toFixed(3).padStart(8)} µs CPU/doc  ${Math.round(p.bytes).toString().padStart(6)} B allocated/doc  (${t.documents} docs; ${t.droppedPasses} passes with a GC not counted for bytes)`;
  process.stdout.write(
    [
      `${DOCUMENTS} bk-cmdb-shaped process documents, ${averageSize.toFixed(0)} bytes each on average; ${ROUNDS} alternating rounds of ${PASSES_PER_ROUND} passes; node ${process.version}`,
      line("decodeDocument", a, ours),
      line("BSON.deserialize", b, theirs),
      `ratio decodeDocument / BSON.deserialize: CPU ${(a.micros / b.micros).toFixed(2)}, allocation ${(a.bytes / b.bytes).toFixed(2)}`,
      "",
    ].join("\n"),
  );
}

main();
