/**
 * The one module that runs ASL locally, shared by the Step Functions service (execution-registry.ts) and the
 * in-process workflow test kit. The interpreter (interpreter/run.ts, on paths.ts, intrinsics.ts, jsonata/ and
 * variables.ts) evaluates the states in JSONPath or JSONata: paths, Parameters/Arguments, Output, Assign,
 * intrinsics, Choice, Pass, Fail, Catch, Parallel and inline Map. An Execution here runs Wait states and timeouts on
 * a Clock, the context object (`$$.Task.Token`) and resuming after a restart; it hands Task states to task-runner.ts
 * (invocation and Retry, `states:startExecution[.sync[:2]]` child executions through `startChildExecution`,
 * `.waitForTaskToken` through a shared TaskTokens registry) and the interpreter's events to machine-events.ts, which
 * turns them into AWS GetExecutionHistory events. The public types are in execution-types.ts, re-exported here.
 */
import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import { LOCAL_ACCOUNT_ID } from '../serverless-config';
import { realClock, SETTLED, type Clock } from './clock';
import {
  checkDefinition,
  forEachState,
  isObject,
  parseDefinition,
  prepareForInterpreter,
  stripUndefined,
  type AslState,
  type Json,
  type JsonObject,
} from './definition';
import { eventNarrator, HistoryRecorder, NOT_TRUNCATED } from './history';
import { runtimeCause } from './runtime-errors';
import { runMachine, type HandlerDetails } from './interpreter/run';
import { MachineEvents } from './machine-events';
import type { TaskHost } from './task-host';
import { isCallbackResource, runTask } from './task-runner';
import { TaskTokens, type CallbackTask } from './task-tokens';
import { resumeDefinition, type ResumePoint } from './resume';
import type {
  ChildExecution,
  ExecutionHandle,
  ExecutionStatus,
  StartExecutionOptions,
} from './execution-types';

export { StatesError } from './runtime-errors';
export { TaskTokens, TaskTokenError, type TaskTokenErrorType, type WaitingTask } from './task-tokens';

export { InvalidDefinitionError, UnsupportedDefinitionError } from './definition';
export { findResumePoint, type ResumePoint } from './resume';
export { realClock, VirtualClock, type Clock } from './clock';
export type { HistoryEvent, Json };
export type {
  ChildExecution,
  ChildExecutionRequest,
  ExecutionHandle,
  ExecutionStatus,
  InvokeTask,
  StartExecutionOptions,
  TaskContext,
  WaitingTaskInfo,
} from './execution-types';

/**
 * Starts an execution and returns at once. Throws InvalidDefinitionError or UnsupportedDefinitionError
 * (naming the field) before anything runs.
 */
export function startExecution(options: StartExecutionOptions): ExecutionHandle {
  const definition =
    typeof options.definition === 'string' ? parsedOnce(options.definition) : options.definition;
  checkDefinition(definition);
  const execution = new Execution(options, definition);
  execution.start();
  return execution;
}

/**
 * One parsed (and so, by checkDefinition, validated) object per definition text: the service passes the stored
 * text on every StartExecution. The engine copies a definition before handing it to the interpreter, never mutates it.
 */
const parsedDefinitions = new Map<string, JsonObject>();
function parsedOnce(text: string): JsonObject {
  let parsed = parsedDefinitions.get(text);
  if (!parsed) {
    parsed = parseDefinition(text);
    parsedDefinitions.set(text, parsed);
  }
  return parsed;
}

class Execution implements ExecutionHandle {
  status: ExecutionStatus = 'RUNNING';
  output?: string;
  error?: string;
  cause?: string;
  readonly startDate: Date;
  stopDate?: Date;
  done: Promise<void> = Promise.resolve();

  private readonly clock: Clock;
  private readonly recorder: HistoryRecorder;
  private readonly states = new Map<string, AslState>();
  private readonly abort = new AbortController();
  private abortInterpreter: () => void = () => {};
  /** The state the interpreter entered last (it looks each state up once, as it enters it). */
  private currentStateName = '';
  private readonly tokens: TaskTokens;
  /** The token `$$.Task.Token` gave the state being entered, until its local handler takes it. */
  private pendingCallback?: CallbackTask;
  /** Children started by `.sync` Tasks: stopping this execution stops them. */
  private readonly syncChildren: ChildExecution[] = [];
  private readonly eventStates = new Map<number, string>();
  /** The resume point, until the state it names has taken what it carries (remaining Wait, token). */
  private resumeHint?: ResumePoint;
  private suspended = false;
  /** What Task states may see and do of this execution (task-host.ts). */
  private readonly taskHost: TaskHost;
  private readonly machineEvents: MachineEvents;

  constructor(
    private readonly options: StartExecutionOptions,
    private readonly definition: JsonObject,
  ) {
    this.clock = options.clock ?? realClock(1);
    this.tokens = options.taskTokens ?? new TaskTokens();
    this.startDate = options.resume?.startDate ?? options.startDate ?? new Date(this.clock.now());
    this.resumeHint = options.resume;
    const narrate = eventNarrator();
    this.recorder = new HistoryRecorder(this.clock, (event) => {
      options.onEvent?.(event);
      const line = narrate(event);
      if (line !== undefined) this.log(line);
    });
    forEachState(definition, (name, state) => this.states.set(name, state));
    if (options.resume) this.recorder.seed(options.resume.events);
    this.machineEvents = new MachineEvents({
      recorder: this.recorder,
      states: this.states,
      record: (stateName, type, details) => this.taskEvent(stateName, type, details),
      log: (line) => this.log(line),
      finish: (status, result) => this.finish(status, result),
    });
    this.taskHost = {
      options,
      clock: this.clock,
      signal: this.abort.signal,
      tokens: this.tokens,
      record: (stateName, type, details) => this.taskEvent(stateName, type, details),
      log: (line) => this.log(line),
      checkVirtualDeadline: () => this.checkVirtualDeadline(),
      resumedSubmitted: (stateName) => this.resumedSubmitted(stateName),
      isResuming: (stateName) => this.resumeHint?.stateName === stateName,
      resumeTaken: () => {
        this.resumeHint = undefined;
      },
      syncChildStarted: (child) => {
        this.syncChildren.push(child);
      },
    };
  }

  get events(): readonly HistoryEvent[] {
    return this.recorder.events;
  }

  stateOfEvent(eventId: number): string | undefined {
    return this.eventStates.get(eventId);
  }

  /** Records an event of a Task attempt or of a Map/Parallel state `stateName` (see stateOfEvent). */
  private taskEvent(stateName: string, type: HistoryEventType, details?: Record<string, unknown>): void {
    const event = this.recorder.add(type, details);
    if (event?.id !== undefined) this.eventStates.set(event.id, stateName);
  }

  start(): void {
    const { options } = this;
    // A resumed execution's history has its start already, unless the service stopped before it was written.
    if (!options.resume?.events.some((event) => event.type === 'ExecutionStarted')) {
      this.recorder.add('ExecutionStarted', {
        input: JSON.stringify(options.input),
        inputDetails: NOT_TRUNCATED,
        roleArn: options.roleArn ?? `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/local-stepfunctions`,
      });
    }
    const handlers: Record<string, (input: Json, details?: HandlerDetails) => Promise<Json>> = {};
    for (const [name, state] of this.states) {
      if (state.Type === 'Task' || state.Type === 'Wait') {
        handlers[name] = (input, details) => {
          // Called synchronously right after the interpreter evaluated Parameters: the token they read is this one's.
          const callback = this.pendingCallback;
          this.pendingCallback = undefined;
          return this.runState(name, state, input, callback, details);
        };
      }
    }
    // A resumed execution enters its state through a Pass state that hands it the saved input (see resume.ts).
    const definition = options.resume ? resumeDefinition(this.definition, options.resume) : this.definition;
    const stateMachineName = options.stateMachineArn.split(':').pop() ?? '';
    const run = runMachine(this.trackStates(prepareForInterpreter(definition)), options.input, {
      handlers,
      onEvent: (event) => this.machineEvents.consume(event),
      describeError: (stateName, message) =>
        runtimeCause(stateName, this.recorder.enteredEventId(stateName), message),
      now: () => this.clock.now(),
      sleep: (ms, signal) => this.clock.sleep(ms, AbortSignal.any([signal, this.abort.signal])),
      context: {
        Execution: {
          Id: options.executionArn,
          Name: options.name,
          // A resumed execution keeps the start time it had before the restart.
          StartTime: this.startDate.toISOString(),
          RoleArn: options.roleArn ?? null,
          RedriveCount: 0,
        },
        StateMachine: { Id: options.stateMachineArn, Name: stateMachineName },
        // `$$.Task` exists only in callback Tasks on AWS; it is left out of machines that have none (`$$` as a whole).
        ...([...this.states.values()].some((state) => isCallbackResource(state.Resource))
          ? { Task: this.taskContext() }
          : {}),
      },
    });
    this.abortInterpreter = () => run.abort();
    const timeout = this.startTimeout();
    this.done = Promise.allSettled([run.result]).then(() => {
      timeout?.();
      if (this.status === 'RUNNING')
        this.finish('FAILED', { error: 'States.Runtime', cause: 'The execution ended without a result' });
    });
  }

  /**
   * The library reads `States[name]` right before it enters a state and evaluates its paths: a proxy on every
   * States map notes the state, for `$$.Task.Token` to know which Task asks (exact for sequential states; concurrent
   * Map iterations and branches see the latest one entered).
   */
  private trackStates(machine: JsonObject): JsonObject {
    forEachMachine(machine, (sub) => {
      if (!isObject(sub.States)) return;
      sub.States = new Proxy(sub.States, {
        get: (target, property, receiver) => {
          if (typeof property === 'string' && Object.hasOwn(target, property)) {
            this.currentStateName = property;
            this.pendingCallback?.close();
            this.pendingCallback = undefined;
          }
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
    });
    return machine;
  }

  /**
   * `$$.Task.Token`: issued when the Parameters of a `.waitForTaskToken` state read it (the interpreter evaluates them
   * synchronously between entering the state and calling its local handler, so concurrent Map iterations and
   * Parallel branches each get their own token).
   */
  private taskContext(): JsonObject {
    const token = (): string | undefined => {
      const name = this.currentStateName;
      const state = this.states.get(name);
      const resource = state?.Type === 'Task' ? state.Resource : undefined;
      if (!isCallbackResource(resource)) return undefined;
      this.pendingCallback ??= this.tokens.issue(this.options.executionArn, name, this.resumedToken(name));
      return this.pendingCallback.token;
    };
    return {
      get Token(): Json {
        // Undefined (absent from `$$.Task`) outside callback Tasks.
        return token() as Json;
      },
    };
  }

  stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING' || this.suspended) return;
    this.finish('ABORTED', { error, cause });
  }

  suspend(): void {
    if (this.status !== 'RUNNING') return;
    this.suspended = true;
    this.recorder.close();
    this.abort.abort(SETTLED);
    this.abortInterpreter();
  }

  /** The token a resumed callback Task had before the restart (once), so the copies callers hold stay valid. */
  private resumedToken(stateName: string): string | undefined {
    if (this.resumeHint?.stateName !== stateName || !this.resumeHint.token) return undefined;
    const { token } = this.resumeHint;
    this.resumeHint = { ...this.resumeHint, token: undefined };
    return token;
  }

  /** True once, for the resumed callback Task whose function had already run before the restart. */
  private resumedSubmitted(stateName: string): boolean {
    if (this.resumeHint?.stateName !== stateName || !this.resumeHint.submitted) return false;
    this.resumeHint = { ...this.resumeHint, submitted: false };
    return true;
  }

  /** A resumed Wait's remaining milliseconds (of `ms`, counted from when it was entered before the restart). */
  private resumedWait(stateName: string, ms: number): number {
    const hint = this.resumeHint;
    if (hint?.stateName !== stateName || hint.enteredAt === undefined) return ms;
    this.resumeHint = undefined;
    const scale = this.clock.scale(1);
    const elapsed = scale > 0 ? (this.clock.now() - hint.enteredAt) / scale : Infinity;
    return Math.max(0, ms - elapsed);
  }

  private log(line: string): void {
    this.options.log?.(`[${this.options.name}] ${line}`);
  }

  private finish(
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    result: { output?: Json; error?: string; cause?: string },
  ): void {
    if (this.status !== 'RUNNING' || this.suspended) return;
    this.status = status;
    this.stopDate = new Date(this.clock.now());
    const failure = { error: result.error || undefined, cause: result.cause || undefined };
    if (status === 'SUCCEEDED') {
      this.output = JSON.stringify(result.output ?? null);
      this.recorder.add('ExecutionSucceeded', { output: this.output, outputDetails: NOT_TRUNCATED });
    } else {
      this.error = failure.error;
      this.cause = failure.cause;
      const type =
        status === 'FAILED'
          ? 'ExecutionFailed'
          : status === 'ABORTED'
            ? 'ExecutionAborted'
            : 'ExecutionTimedOut';
      this.recorder.add(type, stripUndefined(failure));
    }
    this.recorder.close();
    if (status !== 'SUCCEEDED' && status !== 'FAILED') {
      this.abort.abort(SETTLED);
      this.abortInterpreter();
    }
    // As on AWS, stopping a parent stops the child executions its `.sync` Tasks wait for.
    if (status === 'ABORTED') for (const child of this.syncChildren) child.handle.stop();
  }

  /** The execution's TimeoutSeconds on the clock (virtual clocks check it after each of their sleeps). */
  private startTimeout(): (() => void) | undefined {
    const seconds = this.definition.TimeoutSeconds;
    if (typeof seconds !== 'number' || this.clock.virtual) return undefined;
    const cancel = new AbortController();
    void this.clock.sleep(seconds * 1000, AbortSignal.any([cancel.signal, this.abort.signal])).then(() => {
      if (!cancel.signal.aborted) this.finish('TIMED_OUT', { error: 'States.Timeout' });
    });
    return () => cancel.abort(SETTLED);
  }

  private checkVirtualDeadline(): void {
    const seconds = this.definition.TimeoutSeconds;
    if (
      this.clock.virtual &&
      typeof seconds === 'number' &&
      this.clock.now() - this.startDate.getTime() >= seconds * 1000
    ) {
      this.finish('TIMED_OUT', { error: 'States.Timeout' });
    }
  }

  /** Local handler of every Task and Wait state: waits for the history to catch up, then runs the state. */
  private async runState(
    name: string,
    state: AslState,
    input: Json,
    callback?: CallbackTask,
    details?: HandlerDetails,
  ): Promise<Json> {
    if (state.Type === 'Wait') return this.runWait(name, input, details?.waitMs ?? 0);
    return runTask(this.taskHost, name, state, input, callback, details);
  }

  /** A Wait state's wait (the interpreter validated its fields and computed `ms`); a resumed one waits the rest. */
  private async runWait(name: string, input: Json, waitMs: number): Promise<Json> {
    const ms = this.resumedWait(name, waitMs);
    if (ms > 0) {
      await this.clock.sleep(ms, this.abort.signal);
      this.checkVirtualDeadline();
    }
    return input;
  }
}

/** Calls `visit` for a machine and every Parallel branch and Map processor inside it. */
function forEachMachine(machine: JsonObject, visit: (machine: JsonObject) => void): void {
  visit(machine);
  forEachState(machine, (_name, state) => {
    if (Array.isArray(state.Branches)) state.Branches.filter(isObject).forEach(visit);
    if (isObject(state.Iterator)) visit(state.Iterator);
    if (isObject(state.ItemProcessor)) visit(state.ItemProcessor);
  });
}
