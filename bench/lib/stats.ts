/** Order statistics over latency samples (milliseconds). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export interface Paired {
  a: number[];
  b: number[];
}

/**
 * Runs two sides alternately (a, b, a, b, …) after a warm-up of each, so that drift in a noisy
 * shared machine hits both sides alike; compare medians from one run, never across runs.
 */
export async function alternate(rounds: number, warmup: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<Paired> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const result: Paired = { a: [], b: [] };
  const time = async (fn: () => Promise<unknown>) => {
    const startedAt = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - startedAt) / 1e6;
  };
  for (let i = 0; i < rounds; i++) {
    // Swap the order every round as well: neither side always runs right after the other.
    if (i % 2 === 0) {
      result.a.push(await time(a));
      result.b.push(await time(b));
    } else {
      result.b.push(await time(b));
      result.a.push(await time(a));
    }
  }
  return result;
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;
