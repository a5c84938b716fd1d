// The test cluster's supervisor: a process of its own that starts the cluster's programs on
// request and ends them all when its stdin closes, so a test run that exits in any way (an
// exception, a signal, a killed worker) leaves no etcd or kube-apiserver behind.
//
// stdin, one JSON per line: {"op":"spawn","name","command","args","log"} | {"op":"kill","name","signal"}
// stdout, one JSON per line: {"event":"spawned"|"exit","name","pid"|"code"}
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const readline = require("node:readline");

const GRACE_MS = 5000;
const children = new Map();
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

function stopAll() {
  const alive = [...children.values()].filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(0);
  // In reverse start order: the clients go before the API server, the API server before etcd.
  for (const child of alive.reverse()) child.kill("SIGTERM");
  setTimeout(() => {
    for (const child of alive) if (child.exitCode === null) child.kill("SIGKILL");
    process.exit(0);
  }, GRACE_MS).unref();
  let left = alive.length;
  for (const child of alive) child.once("exit", () => --left === 0 && process.exit(0));
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return;
  }
  if (request.op === "spawn") {
    const out = fs.openSync(request.log, "a");
    const child = spawn(request.command, request.args, { stdio: ["ignore", out, out] });
    fs.closeSync(out);
    children.set(request.name, child);
    child.on("exit", (code, signal) => say({ event: "exit", name: request.name, code, signal }));
    child.on("error", (error) => say({ event: "exit", name: request.name, code: -1, error: error.message }));
    say({ event: "spawned", name: request.name, pid: child.pid });
  } else if (request.op === "kill") {
    children.get(request.name)?.kill(request.signal || "SIGTERM");
  }
});
lines.on("close", stopAll);
process.on("SIGTERM", stopAll);
process.on("SIGINT", stopAll);
