/**
 * Task tokens of `.waitForTaskToken` Task states, shared by every execution of one service (the HTTP service or
 * one workflow-kit run): the engine issues a token per attempt and waits on it; SendTaskSuccess, SendTaskFailure
 * and SendTaskHeartbeat settle or extend it from anywhere, with AWS's errors.
 */
import type { Json } from './definition';

/** The AWS error names of SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat. */
export type TaskTokenErrorType = 'InvalidToken' | 'TaskDoesNotExist' | 'TaskTimedOut' | 'InvalidOutput';

/** A refused SendTask* call: `type` is AWS's error name (`__type` of the HTTP response). */
export class TaskTokenError extends Error {
  constructor(
    readonly type: TaskTokenErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** How a waiting task ended from outside. */
export type CallbackOutcome =
  { kind: 'success'; output: Json } | { kind: 'failure'; error?: string; cause?: string };

/** One waiting task as the engine sees it. */
export interface CallbackTask {
  readonly token: string;
  readonly executionArn: string;
  readonly stateName: string;
  /** Settles with the first SendTaskSuccess/SendTaskFailure. */
  readonly outcome: Promise<CallbackOutcome>;
  /** Called on each SendTaskHeartbeat. */
  onHeartbeat(listener: () => void): void;
  /** The task ended (succeeded, failed, timed out, aborted): later SendTask* calls answer TaskTimedOut. */
  close(): void;
}

/** A task waiting for its token, as tests and tools list it. */
export interface WaitingTask {
  token: string;
  executionArn: string;
  stateName: string;
}

interface Entry extends WaitingTask {
  closed: boolean;
  settle(outcome: CallbackOutcome): void;
  heartbeats: (() => void)[];
}

const PREFIX = 'AQB';

function newToken(executionArn: string, stateName: string): string {
  const payload = JSON.stringify({ v: 1, id: crypto.randomUUID(), e: executionArn, s: stateName });
  return `${PREFIX}${Buffer.from(payload, 'utf8').toString('base64url')}`;
}

/** The registry of task tokens of one service; tokens of another registry are TaskDoesNotExist here. */
export class TaskTokens {
  private readonly entries = new Map<string, Entry>();

  /**
   * Issues a fresh token for an attempt of `stateName` in `executionArn`, or issues `token` again (an execution
   * resumed after a restart keeps the token its callers hold).
   */
  issue(executionArn: string, stateName: string, token = newToken(executionArn, stateName)): CallbackTask {
    let settle: (outcome: CallbackOutcome) => void = () => {};
    const outcome = new Promise<CallbackOutcome>((resolve) => (settle = resolve));
    const entry: Entry = { token, executionArn, stateName, closed: false, settle, heartbeats: [] };
    this.entries.set(token, entry);
    return {
      token,
      executionArn,
      stateName,
      outcome,
      onHeartbeat: (listener) => entry.heartbeats.push(listener),
      close: () => {
        entry.closed = true;
        entry.heartbeats = [];
      },
    };
  }

  /** The tasks waiting now (not yet answered, timed out or aborted), oldest first. */
  waiting(): WaitingTask[] {
    return [...this.entries.values()]
      .filter((entry) => !entry.closed)
      .map(({ token, executionArn, stateName }) => ({ token, executionArn, stateName }));
  }

  /** SendTaskSuccess: `output` is the JSON text the task returns. */
  sendTaskSuccess(token: unknown, output: unknown): void {
    const entry = this.open(token);
    let parsed: Json;
    try {
      if (typeof output !== 'string') throw new Error('not a string');
      parsed = JSON.parse(output) as Json;
    } catch {
      throw new TaskTokenError(
        'InvalidOutput',
        "Invalid Output: 'The provided JSON output data is not valid'",
      );
    }
    this.settle(entry, { kind: 'success', output: parsed });
  }

  /** SendTaskFailure: the task fails with `error` and `cause` (both optional, as on AWS). */
  sendTaskFailure(token: unknown, error?: string, cause?: string): void {
    const entry = this.open(token);
    this.settle(entry, {
      kind: 'failure',
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /** SendTaskHeartbeat: restarts the task's HeartbeatSeconds. */
  sendTaskHeartbeat(token: unknown): void {
    const entry = this.open(token);
    for (const listener of entry.heartbeats) listener();
  }

  private settle(entry: Entry, outcome: CallbackOutcome): void {
    entry.closed = true;
    entry.heartbeats = [];
    entry.settle(outcome);
  }

  /** The waiting entry of a token, or AWS's error: InvalidToken, TaskDoesNotExist or TaskTimedOut. */
  private open(token: unknown): Entry {
    if (typeof token !== 'string' || !wellFormed(token)) {
      throw new TaskTokenError('InvalidToken', "Invalid Token: 'Invalid token'");
    }
    const entry = this.entries.get(token);
    if (!entry)
      throw new TaskTokenError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'");
    if (entry.closed) {
      // AWS answers TaskTimedOut for a token whose task has ended, however it ended (answered, timed out, stopped).
      throw new TaskTokenError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    return entry;
  }
}

function wellFormed(token: string): boolean {
  if (!token.startsWith(PREFIX) || token.length > 2048) return false;
  try {
    const decoded = JSON.parse(
      Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'),
    ) as unknown;
    return typeof decoded === 'object' && decoded !== null && (decoded as { v?: unknown }).v === 1;
  } catch {
    return false;
  }
}
