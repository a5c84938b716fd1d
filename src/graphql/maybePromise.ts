/*
 * Values that are there now or later. A navigation whose data a request has already loaded answers
 * with the value itself, not a promise of it: graphql-js then completes the field in the same call,
 * without the promise, the microtask and the per-object `Promise.all` it otherwise spends on every
 * row (docs/architecture.md, "Execution without waiting").
 */

export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

/** `next(value)` now when the value is there, after it otherwise. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(value) ? value.then(next) : next(value);
}

/** Every value, now when all are there. */
export function allOf<T>(values: Array<MaybePromise<T>>): MaybePromise<T[]> {
  for (const value of values) if (isPromise(value)) return Promise.all(values);
  return values as T[];
}
