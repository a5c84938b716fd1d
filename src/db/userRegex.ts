import { check, type Diagnostics } from "recheck";
import { DeadlineExceededError } from "./health";

/*
 * Regular expressions from users reach MongoDB's regex engine, which a match cannot be stopped in:
 * the request's maxTimeMS does not end it, and the embedded server (single-threaded) stops
 * answering anyone until it finishes. So a user's regex is checked for catastrophic backtracking
 * (ReDoS) before it is sent, by recheck (https://makenowjust-labs.github.io/recheck/), a
 * maintained ReDoS checker: it decides from the pattern's automaton whether matching time grows
 * linearly, polynomially (of which degree) or exponentially with the input. It runs offline: its
 * native binary (or, on platforms without one, its Java or pure-JavaScript build) ships in the
 * npm package, in a process of its own, so a long check never blocks the event loop.
 */

/** The highest polynomial degree accepted: quadratic, which an unanchored `.*x.*` already is. */
export const MAX_REGEX_DEGREE = 2;
/** How long the checks of one request's regexes may take together (less when its deadline is nearer). */
export const REGEX_CHECK_BUDGET_MS = 1_000;

/** Why a regex is refused (a sentence for the caller), or undefined when it may be sent. */
export type RegexVerdict = string | undefined;

// Verdicts by flags and pattern; only those recheck reached, not timeouts. Least recently used first.
const verdicts = new Map<string, RegexVerdict>();
const MAX_CACHED_VERDICTS = 1_000;

function remember(key: string, verdict: RegexVerdict): RegexVerdict {
  verdicts.delete(key);
  verdicts.set(key, verdict);
  if (verdicts.size > MAX_CACHED_VERDICTS) verdicts.delete(verdicts.keys().next().value as string);
  return verdict;
}

function verdictOf(diagnostics: Diagnostics, budgetMs: number): { verdict: RegexVerdict; final: boolean } {
  if (diagnostics.status === "safe") return { verdict: undefined, final: true };
  if (diagnostics.status === "vulnerable") {
    const { complexity } = diagnostics;
    if (complexity.type === "polynomial" && complexity.degree <= MAX_REGEX_DEGREE) return { verdict: undefined, final: true };
    const growth = complexity.type === "exponential" ? "exponentially" : `as the power ${complexity.degree} of`;
    return { verdict: `regular expression can backtrack catastrophically: its matching time grows ${growth} the length of the value (ReDoS)`, final: true };
  }
  switch (diagnostics.error.kind) {
    case "invalid":
      return { verdict: `invalid regular expression: ${diagnostics.error.message}`, final: true };
    case "unsupported":
      return { verdict: `regular expression uses a construct the ReDoS check does not support: ${diagnostics.error.message}`, final: true };
    case "timeout":
      return { verdict: `regular expression could not be shown free of catastrophic backtracking within ${budgetMs} ms; simplify it`, final: false };
    default:
      return { verdict: "regular expression could not be checked for catastrophic backtracking; simplify it", final: false };
  }
}

/**
 * Checks the regexes of one request (the patterns as they are sent, with their flags) within the
 * budget, shared and never past `deadline`. Resolves to one verdict per pattern, in order. Throws
 * DeadlineExceededError when the request's deadline, not the budget, cut a check short.
 */
export async function checkUserRegexes(patterns: ReadonlyArray<{ source: string; flags: string }>, deadline: number): Promise<RegexVerdict[]> {
  const startedAt = Date.now();
  const budgetEnd = Math.min(startedAt + REGEX_CHECK_BUDGET_MS, deadline);
  const deadlineFirst = deadline < startedAt + REGEX_CHECK_BUDGET_MS;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, budgetEnd - startedAt));
  try {
    return await Promise.all(
      patterns.map(async ({ source, flags }): Promise<RegexVerdict> => {
        const key = `${flags}/${source}`;
        if (verdicts.has(key)) return remember(key, verdicts.get(key));
        const timeout = budgetEnd - Date.now();
        if (timeout <= 0 && deadlineFirst) throw new DeadlineExceededError("the request's deadline passed during the regex check");
        // recheck's own timeout bounds its analysis; the abort ends a check the checker process does not answer.
        const diagnostics = await Promise.race([
          check(source, flags, { checker: "automaton", timeout: Math.max(1, timeout), signal: abort.signal }),
          new Promise<Diagnostics>((resolve) =>
            abort.signal.addEventListener("abort", () => resolve({ source, flags, status: "unknown", checker: "automaton", error: { kind: "timeout" } } as Diagnostics)),
          ),
        ]).catch((): Diagnostics => ({ source, flags, status: "unknown", checker: "automaton", error: { kind: "unexpected", message: "the checker failed" } }) as Diagnostics);
        const { verdict, final } = verdictOf(diagnostics, REGEX_CHECK_BUDGET_MS);
        if (!final && deadlineFirst && Date.now() >= budgetEnd) throw new DeadlineExceededError("the request's deadline passed during the regex check");
        return final ? remember(key, verdict) : verdict;
      }),
    );
  } catch (error) {
    // Cancels the checks still running when one ended the request.
    abort.abort();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
