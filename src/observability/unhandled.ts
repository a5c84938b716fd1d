import type { Logger } from "pino";
import type { Metrics } from "./metrics";

/**
 * Keeps the service up on an unhandled promise rejection, which Node answers by ending the process:
 * logs it at error level and counts it (`procgraph_unhandled_rejections_total`). Each one is a bug
 * (a promise nobody awaited: the test suite fails on any), but one request's lost error must not
 * take every other request down with it. `metrics` is read when one happens (none before the server
 * is up). `target`: the process (tests hand in an emitter of their own). Returns the function that
 * removes the listener.
 */
export function surviveUnhandledRejections(logger: Logger, metrics: () => Metrics | undefined, target: NodeJS.EventEmitter = process): () => void {
  const onRejection = (reason: unknown) => {
    logger.error({ err: reason }, "unhandled promise rejection (a bug): logged and counted, the service goes on");
    metrics()?.unhandledRejections.inc();
  };
  target.on("unhandledRejection", onRejection);
  return () => {
    target.off("unhandledRejection", onRejection);
  };
}
