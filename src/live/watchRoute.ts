import { randomUUID } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { AuthResult } from "../auth/authenticate";
import { upstreamFailure } from "../db/health";
import { createRequestContext, type AppDeps } from "../graphql/context";
import { PaasNotFoundError, PaasValidationError } from "../paas/providers/errors";
import type { InstanceDoc, ProcessDoc } from "../paas/collections";
import { PaasManager, type ProcessList } from "../paas/providers/manager";
import { instanceItem, processItem } from "../paas/rest/serialize";
import { startPaasWatch, type WatchMessage } from "./paasWatch";
import type { LiveService } from "./service";
import { GraphQLError } from "graphql";
import { LiveCode, type LivePayload, type Subscriber } from "./subscriber";

export const WATCH_TIMEOUT_DEFAULT = 30;
export const WATCH_TIMEOUT_MAX = 120;
const RESOURCE_VERSION = /^[0-9]{1,18}$/;

/** `WatchProcessesQuerySLZ`: rv_proc and rv_inst required, timeout_seconds an integer up to 120 (default 30). */
export function parseWatchQuery(query: Record<string, unknown>): { rv: { process: bigint; instance: bigint }; timeoutSeconds: number; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const last = (value: unknown) => (Array.isArray(value) ? value[value.length - 1] : value);
  const rv = { process: 0n, instance: 0n };
  for (const [name, kind] of [["rv_proc", "process"], ["rv_inst", "instance"]] as const) {
    const raw = last(query[name]);
    if (raw === undefined) errors[name] = ["This field is required."];
    else if (typeof raw !== "string" || !RESOURCE_VERSION.test(raw)) errors[name] = ["must be a resource_version returned by processes/list"];
    else rv[kind] = BigInt(raw);
  }
  let timeoutSeconds = WATCH_TIMEOUT_DEFAULT;
  const timeout = last(query.timeout_seconds);
  if (timeout !== undefined) {
    if (typeof timeout !== "string" || !/^-?[0-9]+$/.test(timeout.trim())) errors.timeout_seconds = ["A valid integer is required."];
    else if (Number(timeout) > WATCH_TIMEOUT_MAX) errors.timeout_seconds = [`Ensure this value is less than or equal to ${WATCH_TIMEOUT_MAX}.`];
    else if (Number(timeout) < 1) errors.timeout_seconds = ["Ensure this value is greater than or equal to 1."];
    else timeoutSeconds = Number(timeout);
  }
  return { rv, timeoutSeconds, errors };
}

/**
 * bk-paas's `GET …/processes/watch/` (docs/paas.md, "REST: GET …/processes/watch/"): Server-Sent Events, first
 * `event: ping`, then one `event: message` per change in the shape of the list's items, an ERROR
 * message when the versions are too old (the stream then stops), and `id: -1` / `event: EOF` at the
 * timeout. Validation and unknown app/module/environment answer as processes/list does. A watch
 * holds no admission slot (it is mostly idle), and is ended by shutdown like every subscription.
 */
export function paasWatchHandler(deps: AppDeps, live: LiveService, identify: (req: Request) => AuthResult | Promise<AuthResult>, refuse: (res: Response, status: number, code: string, detail: string, extra?: Record<string, unknown>) => void): RequestHandler {
  return async (req, res, next) => {
    try {
      const auth = await identify(req);
      if (!auth.ok) return refuse(res, auth.status, auth.code, auth.message);
      const params = req.params as Record<string, string>;
      const query = parseWatchQuery(req.query as Record<string, unknown>);
      const ctx = createRequestContext(deps, req, auth);
      let list;
      try {
        list = await PaasManager.of(ctx).processList({ appCode: params.app_code, moduleName: params.module_name ?? null, environment: params.environment, onlyLatestVersion: false, queryErrors: query.errors });
      } catch (error) {
        if (error instanceof PaasValidationError) return refuse(res, 400, "VALIDATION_ERROR", error.message, { fields_detail: error.fields });
        if (error instanceof PaasNotFoundError) return refuse(res, 404, "ERROR", error.message);
        const failure = upstreamFailure(error, deps.config.requestTimeoutMs);
        if (!failure) throw error;
        return refuse(res, 503, failure.code, failure.message);
      }
      if (!(await live.feed.available())) return refuse(res, 503, "LIVE_UPDATES_UNAVAILABLE", "watching needs a MongoDB replica set (change streams); this server is a standalone");

      const subscription = live.context({ requestId: req.requestId ?? randomUUID(), headers: req.headers }, auth, "paas_watch");
      const fresh = query.rv.process === 0n && query.rv.instance === 0n;
      const from = fresh ? { process: BigInt(list.processResourceVersion), instance: BigInt(list.instanceResourceVersion) } : query.rv;
      let watch: Subscriber<WatchMessage> | undefined;
      let refusal: string | undefined;
      try {
        watch = await startPaasWatch(subscription, live, list, from, deps.config.live.watchHistorySeconds);
      } catch (error) {
        // The database's history itself is gone (a pruned oplog): as too old a version.
        if (!(error instanceof GraphQLError) || error.extensions.code !== LiveCode.expired) throw error;
        refusal = "the resource versions are older than the retained history: list again, then watch";
      }

      res.status(200).set({ "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no", connection: "keep-alive" });
      res.flushHeaders();
      const send = (text: string) => res.write(text);
      send("event: ping\ndata: \n\n");
      const message = ({ key: _key, ...wire }: WatchMessage) => send(`event: message\ndata: ${JSON.stringify(wire)}\n\n`);
      // "0": upstream's Kubernetes replays the current objects as ADDED first.
      if (fresh) {
        for (const p of list.processes) message({ type: "ADDED" as never, object_type: "process", object: processItemOf(p, list), resource_version: list.processResourceVersion });
        for (const i of list.instances) message({ type: "ADDED" as never, object_type: "instance", object: instanceItemOf(i, list), resource_version: list.instanceResourceVersion });
      }
      if (!watch) {
        message({ type: "ERROR", object_type: "error", object: { type: "ERROR", error_message: refusal }, resource_version: null });
        res.end();
        return;
      }
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        void watch.return();
      }, query.timeoutSeconds * 1000);
      res.once("close", () => void watch.return());
      for (;;) {
        const next: IteratorResult<LivePayload<WatchMessage>> = await watch.next();
        if (next.done) break;
        if (next.value.kind === "end") {
          message({ type: "ERROR", object_type: "error", object: { type: "ERROR", error_message: next.value.error.message }, resource_version: null });
          break;
        }
        message(next.value.event);
        if (next.value.event.type === "ERROR") {
          await watch.return();
          break;
        }
      }
      clearTimeout(timer);
      if (timedOut) send("id: -1\nevent: EOF\ndata: \n\n");
      res.end();
    } catch (error) {
      if (res.headersSent) {
        res.end();
        deps.logger.error({ err: error }, "paas watch failed");
        return;
      }
      next(error);
    }
  };
}

const processItemOf = (p: ProcessDoc, list: ProcessList) => processItem(p, list.module.name, list.module.is_default);
const instanceItemOf = (i: InstanceDoc, list: ProcessList) => instanceItem(i, list.module.name);
