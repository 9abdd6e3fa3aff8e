/**
 * Time as the local Step Functions engine sees it. Wait states, Retry intervals and execution timeouts sleep
 * on a Clock, and history timestamps read it, so one object decides whether a run takes AWS time, a scaled
 * fraction of it, or none at all.
 */
export interface Clock {
  /** Milliseconds since the epoch, as recorded in history event timestamps. */
  now(): number;
  /**
   * Resolves after `ms` of this clock's time; early (without error) when `signal` aborts. A `passive` sleep (a
   * timeout's timer) never moves a virtual clock itself: it wakes once other sleeps have driven time past it.
   */
  sleep(ms: number, signal?: AbortSignal, options?: { passive?: boolean }): Promise<void>;
  /** True when sleeps take no real time (timers that must not fire at once are then checked, not set). */
  readonly virtual: boolean;
  /** The real milliseconds a sleep of `ms` takes on this clock. */
  scale(ms: number): number;
}

/**
 * Wall-clock time with every sleep multiplied by `timeScale`: 1 is AWS timing, 0.01 makes a 10 s Wait take
 * 100 ms. Timestamps stay real, so a scaled history shows the scaled gaps.
 */
export function realClock(timeScale = 1): Clock {
  if (!Number.isFinite(timeScale) || timeScale < 0)
    throw new RangeError(`timeScale must be >= 0, got ${timeScale}`);
  return {
    now: () => Date.now(),
    sleep: (ms, signal) => abortableTimeout(ms * timeScale, signal),
    virtual: false,
    scale: (ms) => ms * timeScale,
  };
}

/**
 * A virtual clock for tests: sleeps take no real time, but `now()` advances by exactly the time slept, so a
 * history shows "retried after 5 s, then 10 s". Concurrent sleeps (Parallel branches, Map iterations) are
 * released in order of their wake-up time, one per macrotask, like a discrete-event simulation. Passive sleeps
 * (TimeoutSeconds/HeartbeatSeconds of callback and `.sync` Tasks) wake only when active sleeps move time past
 * them: real work in flight (a handler's DynamoDB call, a child execution's Task) takes no virtual time, so it
 * cannot time out on its own.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly pending: { at: number; seq: number; passive: boolean; resolve: () => void }[] = [];
  private seq = 0;
  private scheduled = false;
  readonly virtual = true;

  constructor(start: Date | number = Date.UTC(2024, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  scale(): number {
    return 0;
  }

  /** Moves time forward without anyone sleeping (e.g. between two executions of a test). */
  advance(ms: number): void {
    this.current += Math.max(0, ms);
  }

  sleep(ms: number, signal?: AbortSignal, options: { passive?: boolean } = {}): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        at: this.current + Math.max(0, ms),
        seq: this.seq++,
        passive: options.passive === true,
        resolve,
      };
      this.pending.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.pending.indexOf(entry);
          if (index >= 0) this.pending.splice(index, 1);
          resolve();
        },
        { once: true },
      );
      this.schedule();
    });
  }

  /** An active sleep is pending, or a passive one whose time has come. */
  private runnable(): boolean {
    return this.pending.some((entry) => !entry.passive || entry.at <= this.current);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets every sleep requested in the current turn register before the earliest one wakes.
    setImmediate(() => {
      this.scheduled = false;
      // Only passive sleeps ahead: nothing drives time (the work in flight takes none), so they keep waiting.
      if (!this.runnable()) return;
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending.shift();
      if (next) {
        this.current = Math.max(this.current, next.at);
        next.resolve();
      }
      if (this.runnable()) this.schedule();
    });
  }
}

/**
 * The reason the service's own AbortControllers are aborted with (a task settled, a branch ended, a timer is no longer
 * needed): an AbortError, as `abort()` gives, but made once. `abort()` without a reason builds a DOMException and
 * captures its stack trace every time: in the local cloud at saturation that was about 3 % of the Step Functions
 * process's time.
 */
export const SETTLED = new DOMException('This operation was aborted', 'AbortError');

function abortableTimeout(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    // setTimeout overflows above 2^31-1 ms (~24.8 days) and would fire at once: clamp instead.
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms), 2 ** 31 - 1),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
