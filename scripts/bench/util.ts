import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** The value at quantile `q` (0..1) of `values`, nearest-rank; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

/** Runs `task(i)` for i in 0..count-1 with at most `concurrency` in flight; resolves when all settled. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Times `count` calls of `task` at `concurrency` after `warmup` calls; operations per second. */
export async function throughput(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
  warmup = concurrency,
): Promise<number> {
  await runConcurrently(warmup, concurrency, (i) => task(count + i));
  const startedAt = performance.now();
  await runConcurrently(count, concurrency, task);
  return count / ((performance.now() - startedAt) / 1000);
}

/** Round to `digits` decimals (for the JSON report). */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
