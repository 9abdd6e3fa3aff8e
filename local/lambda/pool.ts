import {
  InitError,
  LambdaWorker,
  type FunctionSpec,
  type InvocationOutcome,
  type WorkerHost,
} from './worker';

/**
 * Concurrency limits of the local Lambda service. Like an AWS account's concurrency, `total` counts invocations
 * running at once across all functions; `perFunction` plays reserved concurrency for each function. Invocations over
 * a limit wait in two FIFO queues, work under way (Tasks, asynchronous invokes) served before new API requests; the
 * time spent queued never counts against the function's timeout.
 */
export interface ConcurrencyLimits {
  total: number;
  perFunction: number;
  /** Invocations that may wait in all; one more is refused with TooManyRequestsException. */
  queue: number;
  /**
   * API requests (front-door invocations) that may wait; one more is answered 503 with Retry-After. They wait behind
   * the work of the workflows already running, so a flood of new orders never slows the orders under way.
   */
  admission: number;
  /** Environments kept warm (running or idle), all functions together; past it the least recently used idle one stops. */
  warm: number;
  /** An environment idle this long is stopped, as Lambda reclaims idle environments. */
  idleSeconds: number;
  /**
   * Environments that may be starting at once, all functions together (Lambda limits how fast a function scales out
   * too). An invocation that finds no idle environment of its function while this many start waits in its queue for
   * whichever comes first, an environment of its function going idle or a start slot.
   */
  startingAtOnce: number;
}

/** A start that takes longer than this (Lambda's limit on the init phase) no longer holds its start slot. */
const INIT_LIMIT_MS = 10_000;

/** When a refused caller should try again (API Gateway's Retry-After). */
export const RETRY_AFTER_SECONDS = 1;

/** Invocations are refused: the queue is full. Lambda's 429 TooManyRequestsException; API Gateway's 503. */
export class TooManyRequestsError extends Error {
  override name = 'TooManyRequestsException';
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
}

export class FunctionNotFoundError extends Error {
  override name = 'ResourceNotFoundException';
}

export interface InvokeOptions {
  /** An API request: refused earlier than work already under way (see ConcurrencyLimits.admission). */
  frontDoor?: boolean;
  /** Called when the invocation leaves the queue and runs (its timeout starts then). */
  onStarted?: () => void;
}

interface Waiting {
  spec: FunctionSpec;
  event: unknown;
  options: InvokeOptions;
  resolve: (outcome: InvocationOutcome) => void;
}

/**
 * Runs invocations on worker processes, one invocation per worker at a time, as Lambda runs one request per
 * execution environment; idle environments stay warm for the next invocation of the same function.
 */
export class LambdaPool {
  private readonly workers = new Map<string, LambdaWorker[]>();
  private readonly running = new Map<string, number>();
  private runningTotal = 0;
  /** Environments starting now (their cold start), all functions. */
  private starting = 0;
  /** Work under way: Tasks of running workflows, asynchronous invokes. */
  private readonly queue: Waiting[] = [];
  /** API requests: served only when no work under way can run. */
  private readonly frontDoor: Waiting[] = [];
  private stopped = false;
  private readonly reaper: NodeJS.Timeout;
  /** Counters for the bench and the load tool. */
  readonly stats = {
    invocations: 0,
    coldStarts: 0,
    throttled: 0,
    timeouts: 0,
    crashes: 0,
    maxQueued: 0,
    maxStarting: 0,
  };
  /** Invocations and their summed run time per function (what Lambda bills as duration), for the bench's cost. */
  readonly durations = new Map<string, { invocations: number; totalMs: number }>();

  constructor(
    private readonly functions: ReadonlyMap<string, FunctionSpec>,
    private readonly host: WorkerHost,
    readonly limits: ConcurrencyLimits,
  ) {
    this.reaper = setInterval(() => this.stopIdle(), Math.min(30, limits.idleSeconds) * 1000).unref();
  }

  /** The function by deployed name or serverless.yml key; FunctionNotFoundError otherwise. */
  spec(name: string): FunctionSpec {
    const spec = this.functions.get(name);
    if (!spec) throw new FunctionNotFoundError(`Function not found: ${name}`);
    return spec;
  }

  get queued(): number {
    return this.queue.length + this.frontDoor.length;
  }

  /**
   * Whether an API request for the function would be taken now; a refusal is counted as throttled. API Gateway
   * throttles before it runs the authorizer, and so does the local gateway: a refused request costs no JWT check.
   */
  admitsFrontDoor(name: string): boolean {
    const admitted = !this.refuses(this.frontDoor, this.limits.admission, this.spec(name));
    if (!admitted) this.stats.throttled++;
    return admitted;
  }

  /** Runs one invocation; refuses with TooManyRequestsError when the queue is full. Never rejects otherwise. */
  invoke(name: string, event: unknown, options: InvokeOptions = {}): Promise<InvocationOutcome> {
    const spec = this.spec(name);
    const [queue, limit] = options.frontDoor
      ? [this.frontDoor, this.limits.admission]
      : [this.queue, this.limits.queue];
    if (this.refuses(queue, limit, spec)) {
      this.stats.throttled++;
      return Promise.reject(new TooManyRequestsError('Rate Exceeded.'));
    }
    return new Promise((resolve) => {
      queue.push({ spec, event, options, resolve });
      this.stats.maxQueued = Math.max(this.stats.maxQueued, this.queued);
      this.pump();
    });
  }

  /** Stops every environment; queued invocations are refused. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.reaper);
    for (const waiting of [...this.queue.splice(0), ...this.frontDoor.splice(0)]) {
      waiting.resolve({
        ok: false,
        fatal: true,
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: 'The local Lambda service stopped',
          trace: [],
        },
      });
    }
    for (const list of this.workers.values()) list.forEach((worker) => worker.kill());
  }

  /** Stopped, or the queue is full and the function cannot run at once. */
  private refuses(queue: readonly Waiting[], limit: number, spec: FunctionSpec): boolean {
    return this.stopped || (queue.length >= limit && !this.hasCapacity(spec));
  }

  private hasCapacity(spec: FunctionSpec): boolean {
    return (
      this.runningTotal < this.limits.total && (this.running.get(spec.key) ?? 0) < this.limits.perFunction
    );
  }

  private pump(): void {
    for (const queue of [this.queue, this.frontDoor]) {
      // Starting an invocation only takes capacity: a function that cannot run now cannot later in this pass, so its
      // other waiting invocations are passed over without asking again (a saturated cloud queues hundreds).
      const blocked = new Set<string>();
      for (let index = 0; index < queue.length && this.runningTotal < this.limits.total;) {
        const waiting = queue[index];
        if (!waiting || blocked.has(waiting.spec.key)) {
          index++;
        } else if (this.hasCapacity(waiting.spec) && this.mayAcquire(waiting.spec)) {
          queue.splice(index, 1);
          void this.run(waiting);
        } else {
          blocked.add(waiting.spec.key);
          index++;
        }
      }
    }
  }

  /** An idle environment of the function is there, or a new one may start. */
  private mayAcquire(spec: FunctionSpec): boolean {
    return this.starting < this.limits.startingAtOnce || this.idleWorker(spec) !== undefined;
  }

  private idleWorker(spec: FunctionSpec): LambdaWorker | undefined {
    return this.workers.get(spec.key)?.find((worker) => worker.alive && !worker.busy);
  }

  private async run({ spec, event, options, resolve }: Waiting): Promise<void> {
    this.runningTotal++;
    this.running.set(spec.key, (this.running.get(spec.key) ?? 0) + 1);
    try {
      const worker = await this.acquire(spec);
      if (!worker.ok) {
        resolve(worker.outcome);
        return;
      }
      options.onStarted?.();
      this.stats.invocations++;
      const startedAt = performance.now();
      const outcome = await worker.worker.invoke(event);
      this.recordDuration(spec.key, performance.now() - startedAt);
      if (!outcome.ok && outcome.error.errorType === 'Sandbox.Timedout') {
        this.stats.timeouts++;
        this.host.log(`${spec.name} timed out after ${spec.timeoutSeconds} s (Sandbox.Timedout)`);
      }
      resolve(outcome);
    } finally {
      this.runningTotal--;
      this.running.set(spec.key, (this.running.get(spec.key) ?? 1) - 1);
      this.pump();
    }
  }

  private recordDuration(key: string, ms: number): void {
    const entry = this.durations.get(key) ?? { invocations: 0, totalMs: 0 };
    entry.invocations++;
    entry.totalMs += ms;
    this.durations.set(key, entry);
  }

  /** A warm idle environment of the function, or a new one (a cold start). */
  private async acquire(
    spec: FunctionSpec,
  ): Promise<{ ok: true; worker: LambdaWorker } | { ok: false; outcome: InvocationOutcome }> {
    const list = this.workers.get(spec.key) ?? [];
    this.workers.set(spec.key, list);
    const idle = this.idleWorker(spec);
    if (idle) {
      idle.claim();
      return { ok: true, worker: idle };
    }
    this.makeRoom();
    this.stats.coldStarts++;
    const started = this.holdStartSlot();
    try {
      const worker = await LambdaWorker.start(spec, this.host).finally(started);
      if (this.stopped) worker.kill();
      worker.claim();
      list.push(worker);
      worker.onceExited((description) => {
        list.splice(list.indexOf(worker), 1);
        if (!this.stopped && description !== 'signal SIGKILL') {
          this.stats.crashes++;
          this.host.log(`${spec.name}: an idle environment exited (${description})`);
        }
      });
      return { ok: true, worker };
    } catch (error) {
      const initError = error instanceof InitError ? error.payload : undefined;
      return {
        ok: false,
        outcome: {
          ok: false,
          error: initError ?? {
            errorType: 'Runtime.InitError',
            errorMessage: error instanceof Error ? error.message : String(error),
            trace: [],
          },
        },
      };
    }
  }

  /** Takes a start slot; the function returned gives it back (once), at the latest after INIT_LIMIT_MS. */
  private holdStartSlot(): () => void {
    this.starting++;
    this.stats.maxStarting = Math.max(this.stats.maxStarting, this.starting);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clearTimeout(limit);
      this.starting--;
      this.pump();
    };
    const limit = setTimeout(release, INIT_LIMIT_MS).unref();
    return release;
  }

  /** Stops the least recently used idle environment when too many are warm. */
  private makeRoom(): void {
    const live = this.liveWorkers();
    if (live.length < this.limits.warm) return;
    live
      .filter((worker) => !worker.busy)
      .sort((a, b) => a.lastUsed - b.lastUsed)[0]
      ?.kill();
  }

  private stopIdle(): void {
    const idleSince = Date.now() - this.limits.idleSeconds * 1000;
    for (const worker of this.liveWorkers()) {
      if (!worker.busy && worker.lastUsed < idleSince) worker.kill();
    }
  }

  /**
   * Killed environments stay listed until their exit event: counting or picking them would let a burst of cold
   * starts in one tick kill the same one again and again while the warm set grows without bound.
   */
  private liveWorkers(): LambdaWorker[] {
    return [...this.workers.values()].flat().filter((worker) => worker.alive);
  }
}
