import { boundedQuery, DeadlineExceededError, type QueryOptions } from "../../src/db/health";
import * as context from "../../src/graphql/context";
import { LoaderRegistry } from "../../src/graphql/loaders";

/**
 * Every request context the server creates from now on has a deadline that has already passed.
 * Undo with `jest.restoreAllMocks()`.
 */
export function pastDeadlines(): void {
  const create = context.createRequestContext;
  jest.spyOn(context, "createRequestContext").mockImplementation((...args) => {
    const ctx = create(...args);
    const bounds = (): QueryOptions => {
      throw new DeadlineExceededError("the request's deadline passed");
    };
    return Object.assign(ctx, {
      deadline: Date.now() - 1,
      loaders: new LoaderRegistry({ bounds }),
      query: <T>(run: Parameters<typeof boundedQuery<T>>[1]) => boundedQuery(bounds, run),
    });
  });
}

/** The TIMEOUT message with the default REQUEST_TIMEOUT_MS. */
export const TIMEOUT_DETAIL = "the request took longer than its deadline of 15000 ms (REQUEST_TIMEOUT_MS)";
