/** Small statistics for the bench: percentiles of timings, medians of runs, a seeded random source. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A deterministic random source (LCG): every engine and every run gets the same queries. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Milliseconds each call of `run` takes, one call per item, after `warmup` untimed calls. */
export function timeEach<T>(items: readonly T[], run: (item: T) => unknown, warmup = 50): number[] {
  for (const item of items.slice(0, warmup)) run(item);
  return items.map((item) => {
    const started = performance.now();
    run(item);
    return performance.now() - started;
  });
}
