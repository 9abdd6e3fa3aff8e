/**
 * The public shapes of one execution of the local engine: how it is started (StartExecutionOptions), what a Task's
 * invoker and a `states:startExecution` child see, and the handle a caller holds. engine.ts re-exports them all.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { Clock } from './clock';
import type { Json, JsonObject } from './definition';
import type { ResumePoint } from './resume';
import type { TaskTokens } from './task-tokens';

/** What a Task's invoker learns about the call besides its input. */
export interface TaskContext {
  stateName: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  /** The state's Resource as written (a Lambda ARN, `arn:aws:states:::lambda:invoke`, ...). */
  resource: string;
  executionArn: string;
  stateMachineArn: string;
  /** Aborts when the execution is stopped or this attempt has timed out. */
  signal: AbortSignal;
  /**
   * Simulates the function running for `ms` of the execution's clock (a slow or hanging Lambda in a test;
   * `Infinity` hangs). On a virtual clock the Task's TimeoutSeconds is measured on this time: a sleep past
   * the deadline ends the attempt with States.Timeout at the deadline, taking no real time.
   */
  sleep(ms: number): Promise<void>;
  /**
   * The invoker calls this when the function actually starts running (it may have waited for a free local Lambda
   * environment): TimeoutSeconds counts from here, as on AWS, where Lambda throttles rather than queues.
   */
  started(): void;
}

/**
 * Runs one Task attempt. `target` is the Lambda function (ARN or name) for a direct Lambda ARN resource and
 * for `lambda:invoke` (its Parameters' FunctionName; `input` is then its Payload), else the Resource.
 * Return the function's result; throw an error whose `name` is the ASL Error and whose `cause` (a string)
 * or else `message` is the Cause.
 */
export type InvokeTask = (target: string, input: Json, context: TaskContext) => Promise<Json> | Json;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StartExecutionOptions {
  /** ASL as text (as CreateStateMachine receives it) or already parsed. */
  definition: string | JsonObject;
  input: Json;
  executionArn: string;
  stateMachineArn: string;
  name: string;
  roleArn?: string;
  /** Called for every Task attempt; without it Tasks fail with States.TaskFailed (no local invoker). */
  invokeTask?: InvokeTask;
  /** Defaults to real time at AWS speed. */
  clock?: Clock;
  /** Every history event, as it is recorded. */
  onEvent?: (event: HistoryEvent) => void;
  /** One concise line per transition, retry and end; omit to stay quiet. */
  log?: (line: string) => void;
  /**
   * The task tokens of the service this execution runs in (SendTaskSuccess/Failure/Heartbeat answer them);
   * default: a registry of this execution alone.
   */
  taskTokens?: TaskTokens;
  /**
   * Runs StartExecution for `arn:aws:states:::states:startExecution[.sync[:2]]` Tasks, in the same service (so
   * ListExecutions lists the child). Throw an error with a `type` (AWS's error code, e.g. `StateMachineDoesNotExist`)
   * for an API error. Without it such Tasks fail with States.TaskFailed.
   */
  startChildExecution?: (request: ChildExecutionRequest) => ChildExecution;
  /**
   * Called once a `.waitForTaskToken` Task has been submitted and waits for its token; the engine arms
   * TimeoutSeconds/HeartbeatSeconds only after the returned promise settles (a test can answer in it).
   */
  onTaskWaiting?: (task: WaitingTaskInfo) => void | Promise<void>;
  /** Goes on with an execution that was running when the service stopped (see resume.ts); `input` stays the original. */
  resume?: ResumePoint;
  /** When the execution started (default: now on the clock); a service that keeps executions passes what it stored. */
  startDate?: Date;
}

/** What `startChildExecution` receives: the StartExecution request of a `states:startExecution` Task. */
export interface ChildExecutionRequest {
  stateMachineArn: string;
  /** Absent: the service picks a UUID. */
  name?: string;
  /** JSON text, as StartExecution takes it. */
  input: string;
  parentExecutionArn: string;
  /** The Task is being resumed after a restart: an execution of that name already started is the child. */
  attachExisting?: boolean;
}

/** A child execution as the service started it. */
export interface ChildExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** The input as given (JSON text). */
  input: string;
  handle: ExecutionHandle;
}

/** A `.waitForTaskToken` Task attempt waiting for SendTaskSuccess/SendTaskFailure. */
export interface WaitingTaskInfo {
  token: string;
  stateName: string;
  executionArn: string;
  attempt: number;
  /** What the resource received (for `lambda:invoke`, the Payload). */
  input: Json;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

export interface ExecutionHandle {
  readonly events: readonly HistoryEvent[];
  readonly status: ExecutionStatus;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate?: Date;
  /** Settles (never rejects) when the execution has ended. */
  readonly done: Promise<void>;
  /** Aborts a running execution (StopExecution); a no-op once it has ended. */
  stop(error?: string, cause?: string): void;
  /**
   * Halts a running execution without ending it (the service is stopping and keeps it on disk): nothing more is
   * recorded, and it stays RUNNING until it is resumed.
   */
  suspend(): void;
  /**
   * The Task state a Task/LambdaFunction event (Scheduled, Started, Submitted, Succeeded, Failed, TimedOut) belongs
   * to, by event id. Not part of AWS's history (its events name no state): the test kit uses it to attribute attempts
   * in concurrent Map iterations and Parallel branches.
   */
  stateOfEvent(eventId: number): string | undefined;
}
