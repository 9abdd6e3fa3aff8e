import { isObject, type Json } from './definition';

/** A Retry entry with AWS's defaults applied. */
export interface Retrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: 'FULL' | 'NONE';
}

/** Reads a state's Retry field, filling in AWS's defaults (1 s, 3 attempts, rate 2.0, no jitter). */
export function readRetriers(retry: Json | undefined): Retrier[] {
  if (!Array.isArray(retry)) return [];
  return retry.filter(isObject).map((entry) => ({
    errorEquals: Array.isArray(entry.ErrorEquals)
      ? entry.ErrorEquals.filter((e) => typeof e === 'string')
      : [],
    intervalSeconds: typeof entry.IntervalSeconds === 'number' ? entry.IntervalSeconds : 1,
    maxAttempts: typeof entry.MaxAttempts === 'number' ? entry.MaxAttempts : 3,
    backoffRate: typeof entry.BackoffRate === 'number' ? entry.BackoffRate : 2,
    maxDelaySeconds: typeof entry.MaxDelaySeconds === 'number' ? entry.MaxDelaySeconds : undefined,
    jitter: entry.JitterStrategy === 'FULL' ? 'FULL' : 'NONE',
  }));
}

/**
 * Whether an ErrorEquals list matches an error, by the States Language rules: States.ALL matches all but
 * States.Runtime; States.TaskFailed matches any Task failure but timeouts; States.Timeout also matches a
 * heartbeat timeout (States.HeartbeatTimeout).
 */
export function errorMatches(errorEquals: readonly string[], error: string, inTask: boolean): boolean {
  return errorEquals.some(
    (candidate) =>
      candidate === error ||
      (candidate === 'States.Timeout' && error === 'States.HeartbeatTimeout') ||
      (candidate === 'States.ALL' && error !== 'States.Runtime') ||
      (candidate === 'States.TaskFailed' &&
        inTask &&
        error !== 'States.Timeout' &&
        error !== 'States.HeartbeatTimeout' &&
        error !== 'States.Runtime'),
  );
}

/**
 * Tracks the retriers of one state visit. `next(error)` returns the wait in ms before the next attempt, or
 * undefined when the error is not retried (no retrier matches, or the first matching one is exhausted:
 * like AWS, the engine does not fall through to a later retrier).
 */
export class RetryPolicy {
  private readonly used: number[];

  constructor(
    private readonly retriers: Retrier[],
    private readonly inTask: boolean,
    private readonly random: () => number = Math.random,
  ) {
    this.used = retriers.map(() => 0);
  }

  next(error: string): { delayMs: number; retrierIndex: number } | undefined {
    if (error === 'States.Runtime') return undefined;
    const index = this.retriers.findIndex((r) => errorMatches(r.errorEquals, error, this.inTask));
    const retrier = this.retriers[index];
    if (retrier === undefined) return undefined;
    const used = this.used[index] ?? 0;
    if (used >= retrier.maxAttempts) return undefined;
    this.used[index] = used + 1;
    let seconds = retrier.intervalSeconds * retrier.backoffRate ** used;
    if (retrier.maxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.maxDelaySeconds);
    if (retrier.jitter === 'FULL') seconds = this.random() * seconds;
    return { delayMs: Math.round(seconds * 1000), retrierIndex: index };
  }
}
