/*
 * Values that are there now or later. A navigation whose data a request has already loaded answers
 * with the value itself, not a promise of it: graphql-js then completes the field in the same call,
 * without the promise, the microtask and the per-object `Promise.all` it otherwise spends on every
 * row (docs/architecture.md, "Execution without waiting").
 */

export type MaybePromise<T> = T | Promise<T>;

/**
 * What a loader answers, while `prefetch` calls resolvers, for a document not read yet: the key
 * joins the next batch and the resolver stops there, without a promise per row; `prefetch` sends
 * the batches and calls it again. Never seen by graphql-js: loaders answer it only during those calls.
 */
export const NOT_READ_YET: unique symbol = Symbol("not read yet");

export function notReadYet<T>(): T {
  return NOT_READ_YET as unknown as T;
}

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

/** `next(value)` now when the value is there, after it otherwise (and not at all while it is not read yet). */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  if ((value as unknown) === NOT_READ_YET) return notReadYet<U>();
  return isPromise(value) ? value.then(next) : next(value);
}

/** Every value, now when all are there. */
export function allOf<T>(values: Array<MaybePromise<T>>): MaybePromise<T[]> {
  let waiting = false;
  for (const value of values) {
    if ((value as unknown) === NOT_READ_YET) return notReadYet<T[]>();
    if (isPromise(value)) waiting = true;
  }
  return waiting ? Promise.all(values) : (values as T[]);
}
