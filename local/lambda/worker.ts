import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { FunctionErrorPayload, InvocationRequest, WorkerMessage } from './protocol';

/** One function as the local Lambda service runs it: its bundle, limits and environment (from serverless.yml). */
export interface FunctionSpec {
  /** serverless.yml key (createOrder). */
  key: string;
  /** Deployed name (order-processing-local-createOrder), what Invoke's FunctionName carries. */
  name: string;
  bundlePath: string;
  exportName: string;
  timeoutSeconds: number;
  memorySize: number;
  region: string;
  accountId: string;
  environment: Record<string, string>;
}

export type InvocationOutcome =
  | { ok: true; result: unknown }
  | {
      ok: false;
      error: FunctionErrorPayload;
      /** the environment is gone (timeout, crash) */ fatal?: boolean;
    };

/** What the host passes a worker besides its function: where the bootstrap is and where output goes. */
export interface WorkerHost {
  runtimePath: string;
  /** Environment every worker gets besides its function's (PATH, TZ, ...). */
  baseEnvironment: Record<string, string>;
  onOutput: (functionKey: string, line: string) => void;
  /** The service's own lines for a person: timeouts, crashed environments. */
  log: (line: string) => void;
}

/**
 * V8 compiles and collects garbage on each environment's own thread, not on helper threads. A warm pool holds about a
 * hundred environments on a few cores; their helper threads only added context switches and work done twice.
 * Measured with the bench's saturation run (quick shape, 4 interleaved pairs on 2 cores): 82-90 ms of CPU per order
 * against 93-101, of which the functions' 50-56 ms against 58-64 and DynamoDB Local's 21-22 against 24; completed
 * orders/s 22.9-24.5 against 21.9-22.6. Only the GC's helpers off (`--single-threaded-gc`): within the noise.
 */
const ENVIRONMENT_NODE_FLAGS = ['--single-threaded'];

/** The function's init failed (its module threw while loading): every invocation of it fails the same way. */
export class InitError extends Error {
  constructor(readonly payload: FunctionErrorPayload) {
    super(payload.errorMessage);
    this.name = 'InitError';
  }
}

/**
 * One Lambda execution environment: a Node process that loaded the function's bundle (its cold start) and runs
 * one invocation at a time. A timeout kills the process, as Lambda ends an environment that timed out.
 */
export class LambdaWorker {
  private pending?: { id: string; resolve: (outcome: InvocationOutcome) => void; timer: NodeJS.Timeout };
  private exited = false;
  private killed = false;
  /** Handed out by the pool, about to be invoked. */
  private claimed = false;
  private readonly exitListeners: ((description: string) => void)[] = [];
  lastUsed = Date.now();

  private constructor(
    readonly spec: FunctionSpec,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: WorkerMessage) => this.onMessage(message));
    // EPIPE on a channel that closed: the 'exit' event settles what was pending.
    child.on('error', () => this.kill());
    child.once('exit', (code, signal) => this.onExit(signal ? `signal ${signal}` : `exit status ${code}`));
  }

  /** Starts an environment; resolves once the bundle has loaded, rejects with the init error. */
  static start(spec: FunctionSpec, host: WorkerHost): Promise<LambdaWorker> {
    const child = fork(host.runtimePath, [spec.bundlePath, spec.exportName], {
      // Not the parent's flags: npm start runs under tsx, a function runs its plain bundle.
      execArgv: [...ENVIRONMENT_NODE_FLAGS, ...memoryFlags(spec.memorySize)],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...host.baseEnvironment, ...lambdaEnvironment(spec), ...spec.environment },
    });
    const forward = (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .forEach((line) => host.onOutput(spec.key, line));
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the ${spec.key} environment exited during init (code ${code})`));
      child.once('exit', onExit);
      child.once('message', (message: WorkerMessage) => {
        child.off('exit', onExit);
        if (message.type === 'ready') resolve(new LambdaWorker(spec, child));
        else if (message.type === 'init-failed') {
          child.kill('SIGKILL');
          reject(new InitError(message.error));
        }
      });
    });
  }

  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  get busy(): boolean {
    return this.claimed || this.pending !== undefined;
  }

  /** Reserves an idle environment for the invocation the pool is about to send it. */
  claim(): void {
    this.claimed = true;
  }

  /** Called once when the process ends, with how it ended (a crash between invocations too). */
  onceExited(listener: (description: string) => void): void {
    this.exitListeners.push(listener);
  }

  invoke(event: unknown): Promise<InvocationOutcome> {
    if (this.pending) throw new Error(`the ${this.spec.key} environment is busy`);
    this.claimed = false;
    if (!this.alive)
      return Promise.resolve(exitedOutcome('before the invocation', 'the environment had exited'));
    const id = randomUUID();
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const request: InvocationRequest = {
      id,
      event,
      context: {
        awsRequestId: id,
        functionName: this.spec.name,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${this.spec.region}:${this.spec.accountId}:function:${this.spec.name}`,
        memoryLimitInMB: String(this.spec.memorySize),
        logGroupName: `/aws/lambda/${this.spec.name}`,
        logStreamName: `local/[$LATEST]${this.child.pid ?? 0}`,
        deadlineMs: Date.now() + timeoutMs,
      },
    };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settle(id, {
          ok: false,
          fatal: true,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${id} Error: Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`,
            trace: [],
          },
        });
        this.kill();
      }, timeoutMs);
      this.pending = { id, resolve, timer };
      // A process that died after it was handed out: the exit handler answers the invocation.
      this.child.send(request, (error) => {
        if (error) this.kill();
      });
    });
  }

  kill(): void {
    this.killed = true;
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type === 'result') this.settle(message.id, { ok: true, result: message.result });
    else if (message.type === 'error') this.settle(message.id, { ok: false, error: message.error });
  }

  private settle(id: string, outcome: InvocationOutcome): void {
    if (this.pending?.id !== id) return;
    clearTimeout(this.pending.timer);
    const { resolve } = this.pending;
    this.pending = undefined;
    this.lastUsed = Date.now();
    resolve(outcome);
  }

  private onExit(description: string): void {
    this.exited = true;
    if (this.pending) {
      this.settle(this.pending.id, exitedOutcome(this.pending.id, description));
    }
    this.exitListeners.forEach((listener) => listener(description));
  }
}

/**
 * The heap limits Lambda's Node.js bootstrap derives from the function's memory: a tenth of it for the young generation
 * (two semi-spaces), the rest for the old one.
 */
function memoryFlags(memorySizeMb: number): string[] {
  const newSpace = Math.floor(memorySizeMb / 10);
  return [
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memorySizeMb - newSpace}`,
  ];
}

/** The reserved variables Lambda sets in every environment. */
function lambdaEnvironment(spec: FunctionSpec): Record<string, string> {
  return {
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    _HANDLER: `${spec.key}.${spec.exportName}`,
  };
}

function exitedOutcome(requestId: string, description: string): InvocationOutcome {
  return {
    ok: false,
    fatal: true,
    error: {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${description}`,
      trace: [],
    },
  };
}
