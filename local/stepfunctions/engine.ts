/**
 * The one module that runs ASL locally, shared by the Step Functions HTTP service (server.ts) and the
 * in-process workflow test kit. The interpreter (interpreter/run.ts, on paths.ts, intrinsics.ts, jsonata/ and
 * variables.ts) evaluates the states in JSONPath or JSONata: paths, Parameters/Arguments, Output, Assign,
 * intrinsics, Choice, Pass, Fail, Catch, Parallel and inline Map; this module runs Task invocation and Retry, Wait
 * states and timeouts on a Clock, runs the integration patterns (`states:startExecution[.sync[:2]]` child executions
 * through `startChildExecution`, `.waitForTaskToken` through a shared TaskTokens registry), and turns the
 * interpreter's events into AWS GetExecutionHistory events.
 */
import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import { LOCAL_ACCOUNT_ID } from '../serverless-config';
import { realClock, type Clock } from './clock';
import {
  checkDefinition,
  forEachState,
  isObject,
  parseDefinition,
  prepareForInterpreter,
  type AslState,
  type Json,
  type JsonObject,
} from './definition';
import { eventNarrator, HistoryRecorder, NOT_TRUNCATED } from './history';
import { readRetriers, RetryPolicy } from './retry';
import { describeRuntimeError, runtimeCause, StatesError } from './runtime-errors';
import { runMachine, type HandlerDetails, type MachineEvent } from './interpreter/run';
import { sdkMetadata } from './sdk-metadata';
import { TaskTokens, type CallbackTask } from './task-tokens';
import { RESUME_STATE, resumeDefinition, type ResumePoint } from './resume';
import type {
  ChildExecution,
  ExecutionHandle,
  ExecutionStatus,
  StartExecutionOptions,
  TaskContext,
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

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:/;
const START_EXECUTION = /^arn:aws[a-z-]*:states:::states:startExecution(\.sync(:2)?)?$/;
const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';

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
  private lastFailedState?: { name: string; input: Json };
  /** The state the interpreter entered last (it looks each state up once, as it enters it). */
  private currentState = { Name: '', EnteredTime: '' };
  private readonly mapsStarted = new Set<string>();
  private readonly tokens: TaskTokens;
  /** The token `$$.Task.Token` gave the state being entered, until its local handler takes it. */
  private pendingCallback?: CallbackTask;
  /** Children started by `.sync` Tasks: stopping this execution stops them. */
  private readonly syncChildren: ChildExecution[] = [];
  private readonly eventStates = new Map<number, string>();
  /** Map/Parallel states whose failure was reported and not yet retried (a Catch then exits them). */
  private readonly failedContainers = new Set<string>();
  /** The resume point, until the state it names has taken what it carries (remaining Wait, token). */
  private resumeHint?: ResumePoint;
  private suspended = false;

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
      onEvent: (event) => this.consume(event),
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
        ...([...this.states.values()].some(
          (state) => typeof state.Resource === 'string' && state.Resource.endsWith(WAIT_FOR_TASK_TOKEN),
        )
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
   * The library reads `States[name]` right before it enters a state and evaluates its paths, but never sets
   * `$$.State`: a proxy on every States map notes the state, and `stateContext()` serves it (exact for
   * sequential states; concurrent Map iterations and branches see the latest one entered).
   */
  private trackStates(machine: JsonObject): JsonObject {
    forEachMachine(machine, (sub) => {
      if (!isObject(sub.States)) return;
      sub.States = new Proxy(sub.States, {
        get: (target, property, receiver) => {
          if (typeof property === 'string' && Object.hasOwn(target, property)) {
            this.currentState = { Name: property, EnteredTime: new Date(this.clock.now()).toISOString() };
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
      const name = this.currentState.Name;
      const state = this.states.get(name);
      const resource = state?.Type === 'Task' ? state.Resource : undefined;
      if (typeof resource !== 'string' || !resource.endsWith(WAIT_FOR_TASK_TOKEN)) return undefined;
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
    this.abort.abort();
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
      this.abort.abort();
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
    return () => cancel.abort();
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

  /** Maps the interpreter's events, as they happen, to AWS history events. */
  private consume(event: MachineEvent): void {
    if (event.state?.name === RESUME_STATE) return;
    const state = event.state ? this.states.get(event.state.name) : undefined;
    const type = state?.Type ?? event.state?.type ?? '';
    switch (event.type) {
      case 'StateEntered':
        if (!event.state) break;
        this.recorder.add(`${type}StateEntered` as never, {
          name: event.state.name,
          input: JSON.stringify(event.state.input),
          inputDetails: NOT_TRUNCATED,
        });
        if (type === 'Parallel') this.recorder.add('ParallelStateStarted');
        break;
      case 'StateExited': {
        if (!event.state) break;
        // A caught Map/Parallel failure exits the state after <Type>StateFailed, without <Type>StateSucceeded.
        const caught = this.failedContainers.delete(event.state.name);
        if (type === 'Parallel' && !caught) this.taskEvent(event.state.name, 'ParallelStateSucceeded');
        if (type === 'Map') {
          if (!caught) this.taskEvent(event.state.name, 'MapStateSucceeded');
        }
        this.mapsStarted.delete(event.state.name);
        if (type !== 'Fail') {
          const assigned = event.state.assignedVariables;
          this.recorder.add(`${type}StateExited` as never, {
            name: event.state.name,
            output: JSON.stringify(event.state.output ?? null),
            outputDetails: NOT_TRUNCATED,
            ...(assigned === undefined
              ? {}
              : {
                  assignedVariables: Object.fromEntries(
                    Object.entries(assigned).map(([key, value]) => [key, JSON.stringify(value)]),
                  ),
                  assignedVariablesDetails: NOT_TRUNCATED,
                }),
          });
        }
        break;
      }
      case 'StateFailed':
        if (!event.state) break;
        this.lastFailedState = { name: event.state.name, input: event.state.input };
        // AWS records a failed JSONata evaluation as an event of its own before the state's failure.
        if (event.Error === 'States.QueryEvaluationError') {
          this.recorder.add('EvaluationFailed', {
            error: event.Error,
            ...(event.Cause === undefined ? {} : { cause: event.Cause }),
            state: event.state.name,
          });
        }
        if (type === 'Parallel' || type === 'Map') {
          this.failedContainers.add(event.state.name);
          this.taskEvent(event.state.name, `${type}StateFailed`);
        }
        break;
      case 'StateRetried':
        if (event.state) this.failedContainers.delete(event.state.name);
        this.log(`  retrying ${event.state?.name ?? '?'} (attempt ${(event.retry?.attempt ?? 0) + 1})`);
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        if (!event.parentState) break;
        this.recorder.add(event.type, { name: event.parentState.name, index: event.index });
        break;
      case 'MapStarted':
        if (event.state) this.mapStarted(event.state.name, event.length ?? 0);
        break;
      case 'ExecutionSucceeded':
        this.finish('SUCCEEDED', { output: event.output ?? null });
        break;
      case 'ExecutionFailed':
        this.finish('FAILED', this.describeFailure(event.Error ?? 'States.Runtime', event.Cause));
        break;
      default:
        break;
    }
  }

  /** MapStateStarted, once per Map state visit, with the number of items the interpreter resolved. */
  private mapStarted(name: string, length: number): void {
    if (this.mapsStarted.has(name)) return;
    this.mapsStarted.add(name);
    this.recorder.add('MapStateStarted', { length });
  }

  /** Error and Cause as AWS reports them, from what the interpreter reported. */
  private describeFailure(error: string, rawCause: unknown): { error?: string; cause?: string } {
    let cause =
      typeof rawCause === 'string' ? rawCause : rawCause === undefined ? undefined : JSON.stringify(rawCause);
    const failed = this.lastFailedState;
    const failedState = failed ? this.states.get(failed.name) : undefined;
    if (
      error === 'States.Runtime' &&
      failed &&
      failedState &&
      cause !== undefined &&
      !cause.startsWith('An error occurred')
    ) {
      cause = runtimeCause(
        failed.name,
        this.recorder.enteredEventId(failed.name),
        describeRuntimeError(failedState, cause, failed.input),
      );
    }
    return { error, cause };
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
    return this.runTask(name, state, input, callback, details);
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

  private async runTask(
    name: string,
    state: AslState,
    input: Json,
    firstCallback?: CallbackTask,
    details?: HandlerDetails,
  ): Promise<Json> {
    const resource = typeof state.Resource === 'string' ? state.Resource : '';
    const waitsForToken = resource.endsWith(WAIT_FOR_TASK_TOKEN);
    const baseResource = waitsForToken ? resource.slice(0, -WAIT_FOR_TASK_TOKEN.length) : resource;
    const isLambdaArn = LAMBDA_ARN.test(resource);
    const isLambdaInvoke = baseResource === LAMBDA_INVOKE || baseResource.startsWith(`${LAMBDA_INVOKE}:`);
    const startsExecution = START_EXECUTION.exec(resource);
    const target =
      isLambdaInvoke && isObject(input) && typeof input.FunctionName === 'string'
        ? input.FunctionName
        : resource;
    let payload = isLambdaInvoke ? (isObject(input) ? (input.Payload ?? {}) : {}) : input;
    const [resourceType, resourceName] = splitServiceResource(resource);
    const policy = new RetryPolicy(readRetriers(state.Retry), true);
    // As the interpreter resolved them (a JSONata expression, TimeoutSecondsPath, or the number written).
    const timeoutSeconds = details?.timeoutSeconds;
    const heartbeatSeconds = waitsForToken ? details?.heartbeatSeconds : undefined;
    let callback = firstCallback;
    if (!waitsForToken) callback?.close();

    for (let attempt = 1; ; attempt++) {
      if (waitsForToken && (attempt > 1 || !callback)) {
        // Each attempt waits on a token of its own; the Parameters carried the previous one.
        const fresh = this.tokens.issue(this.options.executionArn, name);
        if (callback) payload = replaceString(payload, callback.token, fresh.token);
        callback = fresh;
      }
      // Resumed after a restart with its function already run: only the token is awaited (same token as before).
      const submitted = attempt === 1 && callback !== undefined && this.resumedSubmitted(name);
      if (submitted) {
        // Nothing scheduled again: the history goes on with the callback's outcome.
      } else if (isLambdaArn) {
        this.taskEvent(name, 'LambdaFunctionScheduled', {
          resource,
          input: JSON.stringify(payload),
          inputDetails: NOT_TRUNCATED,
          ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
        });
        this.taskEvent(name, 'LambdaFunctionStarted');
      } else {
        this.taskEvent(name, 'TaskScheduled', {
          resourceType,
          resource: resourceName,
          region: regionOf(this.options.stateMachineArn),
          parameters: JSON.stringify(replaceString(input, firstCallback?.token, callback?.token)),
          ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
          ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: heartbeatSeconds }),
        });
        this.taskEvent(name, 'TaskStarted', { resourceType, resource: resourceName });
      }
      const startedAt = this.clock.now();
      try {
        let output: Json = null;
        if (submitted) {
          // The function's result was recorded (TaskSubmitted) before the restart.
        } else if (startsExecution) {
          output = await this.startChild(name, payload, startsExecution[1], startsExecution[2], {
            resourceType,
            resourceName,
            startedAt,
            timeoutSeconds,
          });
        } else {
          const result = await this.invokeOnce(
            target,
            payload,
            { stateName: name, attempt, resource },
            timeoutSeconds,
          );
          output = isLambdaInvoke ? lambdaInvokeResult(result) : result;
        }
        if (callback) {
          if (!submitted)
            this.taskEvent(name, 'TaskSubmitted', {
              resourceType,
              resource: resourceName,
              output: JSON.stringify(output),
              outputDetails: NOT_TRUNCATED,
            });
          output = await this.awaitCallback(callback, {
            attempt,
            input: payload,
            startedAt,
            timeoutSeconds,
            heartbeatSeconds,
          });
        }
        if (isLambdaArn)
          this.taskEvent(name, 'LambdaFunctionSucceeded', {
            output: JSON.stringify(output),
            outputDetails: NOT_TRUNCATED,
          });
        else {
          this.taskEvent(name, 'TaskSucceeded', {
            resourceType,
            resource: resourceName,
            output: JSON.stringify(output),
            outputDetails: NOT_TRUNCATED,
          });
        }
        return output;
      } catch (thrown) {
        callback?.close();
        if (this.abort.signal.aborted) throw new StatesError('States.Aborted', 'The execution was stopped');
        const { error, cause } = asFailure(thrown);
        const timedOut = error === 'States.Timeout' || error === 'States.HeartbeatTimeout';
        // AWS records a heartbeat timeout as States.Timeout; only Retry and Catch tell it apart.
        const details = stripUndefined({
          error: timedOut ? 'States.Timeout' : error,
          cause: cause === '' ? undefined : cause,
        });
        if (isLambdaArn)
          this.taskEvent(name, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
        else
          this.taskEvent(name, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
            resourceType,
            resource: resourceName,
            ...details,
          });
        const retry = policy.next(error);
        if (retry === undefined) throw new StatesError(error, cause ?? '');
        this.log(
          `  ${name} failed with ${error} (attempt ${attempt}); retrying in ${retry.delayMs / 1000} s`,
        );
        await this.clock.sleep(retry.delayMs, this.abort.signal);
        this.checkVirtualDeadline();
        if (this.abort.signal.aborted) throw new StatesError('States.Aborted', 'The execution was stopped');
      }
    }
  }

  /**
   * `states:startExecution`: starts the child in the same service. Plain, the result is StartExecution's; `.sync`
   * waits for the child and returns DescribeExecution's (`:2` with Input and Output as JSON); a child that does not
   * succeed fails the Task with States.TaskFailed and the DescribeExecution JSON as Cause.
   */
  private async startChild(
    stateName: string,
    parameters: Json,
    sync: string | undefined,
    sync2: string | undefined,
    task: { resourceType: string; resourceName: string; startedAt: number; timeoutSeconds?: number },
  ): Promise<Json> {
    const { startChildExecution } = this.options;
    if (!startChildExecution) {
      throw new StatesError(
        'States.TaskFailed',
        `No local Step Functions service is configured for startExecution (state '${stateName}')`,
      );
    }
    const request = isObject(parameters) ? parameters : {};
    const rawInput = request.Input;
    let child: ChildExecution;
    try {
      child = startChildExecution({
        stateMachineArn: typeof request.StateMachineArn === 'string' ? request.StateMachineArn : '',
        ...(typeof request.Name === 'string' ? { name: request.Name } : {}),
        input:
          typeof rawInput === 'string' ? rawInput : JSON.stringify(rawInput === undefined ? {} : rawInput),
        parentExecutionArn: this.options.executionArn,
        ...(this.resumeHint?.stateName === stateName ? { attachExisting: true } : {}),
      });
      if (this.resumeHint?.stateName === stateName) this.resumeHint = undefined;
    } catch (error) {
      const code = (error as { type?: unknown }).type;
      if (typeof code !== 'string') throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new StatesError(
        `StepFunctions.${code}Exception`,
        `${message} (Service: AWSStepFunctions; Status Code: 400; Error Code: ${code}; Request ID: ${crypto.randomUUID()}; Proxy: null)`,
      );
    }
    const started: JsonObject = {
      ExecutionArn: child.executionArn,
      StartDate: child.handle.startDate.getTime(),
      ...sdkMetadata('application/x-amz-json-1.0'),
    };
    if (!sync) return started;
    this.syncChildren.push(child);
    this.taskEvent(stateName, 'TaskSubmitted', {
      resourceType: task.resourceType,
      resource: task.resourceName,
      output: JSON.stringify(started),
      outputDetails: NOT_TRUNCATED,
    });
    await this.withTimers(child.handle.done, task.startedAt, task.timeoutSeconds);
    const { handle } = child;
    const json = (text: string | undefined): Json =>
      sync2 && text !== undefined ? (JSON.parse(text) as Json) : (text ?? null);
    const described: JsonObject = stripUndefined({
      Cause: handle.cause,
      Error: handle.error,
      ExecutionArn: child.executionArn,
      Input: json(child.input),
      InputDetails: { Included: true },
      Name: child.name,
      Output: handle.output === undefined ? undefined : json(handle.output),
      OutputDetails: handle.output === undefined ? undefined : { Included: true },
      StartDate: handle.startDate.getTime(),
      StateMachineArn: child.stateMachineArn,
      Status: handle.status,
      StopDate: handle.stopDate?.getTime(),
    });
    if (handle.status !== 'SUCCEEDED') throw new StatesError('States.TaskFailed', JSON.stringify(described));
    return described;
  }

  /** Waits for SendTaskSuccess/SendTaskFailure of `callback`, under TimeoutSeconds and HeartbeatSeconds. */
  private async awaitCallback(
    callback: CallbackTask,
    task: {
      attempt: number;
      input: Json;
      startedAt: number;
      timeoutSeconds?: number;
      heartbeatSeconds?: number;
    },
  ): Promise<Json> {
    await this.options.onTaskWaiting?.({
      token: callback.token,
      stateName: callback.stateName,
      executionArn: this.options.executionArn,
      attempt: task.attempt,
      input: task.input,
      ...(task.timeoutSeconds === undefined ? {} : { timeoutSeconds: task.timeoutSeconds }),
      ...(task.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: task.heartbeatSeconds }),
    });
    const outcome = await this.withTimers(
      callback.outcome,
      task.startedAt,
      task.timeoutSeconds,
      task.heartbeatSeconds,
      callback,
    );
    callback.close();
    if (outcome.kind === 'failure') throw new StatesError(outcome.error ?? '', outcome.cause ?? '');
    return outcome.output;
  }

  /**
   * Races `work` against TimeoutSeconds (from `startedAt`) and HeartbeatSeconds (restarted by each heartbeat of
   * `callback`), both on the execution's clock; rejects with States.Timeout or States.HeartbeatTimeout.
   */
  private async withTimers<T>(
    work: Promise<T>,
    startedAt: number,
    timeoutSeconds?: number,
    heartbeatSeconds?: number,
    callback?: CallbackTask,
  ): Promise<T> {
    const finished = new AbortController();
    const signal = AbortSignal.any([finished.signal, this.abort.signal]);
    const timers: Promise<never>[] = [];
    const expire = async (ms: number, timerSignal: AbortSignal, error: string): Promise<void> => {
      await this.clock.sleep(Math.max(0, ms), timerSignal, { passive: true });
      if (timerSignal.aborted) return;
      // Cancels the other timer at once: a virtual clock must not move on to it while this one is reported.
      finished.abort();
      throw new StatesError(error, '');
    };
    if (timeoutSeconds !== undefined) {
      timers.push(
        expire(timeoutSeconds * 1000 - (this.clock.now() - startedAt), signal, 'States.Timeout').then(
          () => new Promise<never>(() => {}),
        ),
      );
    }
    if (heartbeatSeconds !== undefined) {
      timers.push(
        new Promise<never>((_, reject) => {
          let beat = new AbortController();
          const arm = (ms: number) => {
            const current = AbortSignal.any([beat.signal, signal]);
            expire(ms, current, 'States.HeartbeatTimeout').catch(reject);
          };
          callback?.onHeartbeat(() => {
            beat.abort();
            beat = new AbortController();
            arm(heartbeatSeconds * 1000);
          });
          arm(heartbeatSeconds * 1000 - (this.clock.now() - startedAt));
        }),
      );
    }
    const aborted = new Promise<never>((_, reject) =>
      this.abort.signal.addEventListener(
        'abort',
        () => reject(new StatesError('States.Aborted', 'The execution was stopped')),
        { once: true },
      ),
    );
    try {
      return await Promise.race([work, aborted, ...timers]);
    } finally {
      finished.abort();
    }
  }

  private async invokeOnce(
    target: string,
    payload: Json,
    attempt: Pick<TaskContext, 'stateName' | 'attempt' | 'resource'>,
    timeoutSeconds?: number,
  ): Promise<Json> {
    const { invokeTask } = this.options;
    if (!invokeTask) {
      throw new StatesError(
        'States.TaskFailed',
        `No local invoker is configured for resource '${attempt.resource}' (state '${attempt.stateName}')`,
      );
    }
    const timedOut = () =>
      new StatesError('States.Timeout', `Task timed out after ${timeoutSeconds} seconds`);
    const attemptAbort = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, attemptAbort.signal]);
    let rejectTimeout: (error: Error) => void = () => {};
    const timeout = new Promise<never>((_, reject) => (rejectTimeout = reject));
    // On a virtual clock a handler's own work takes no time: only its simulated sleeps count toward the deadline.
    const deadline =
      this.clock.virtual && timeoutSeconds !== undefined
        ? this.clock.now() + timeoutSeconds * 1000
        : Infinity;
    const aborted = new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    const sleep = async (ms: number): Promise<void> => {
      const until = this.clock.now() + Math.max(0, ms);
      if (Number.isFinite(deadline) && until >= deadline) {
        await this.clock.sleep(deadline - this.clock.now(), signal);
        if (!signal.aborted) rejectTimeout(timedOut());
        // The function is still "running" when the attempt times out: it returns only once abandoned.
        await aborted;
      } else if (Number.isFinite(until)) {
        await this.clock.sleep(until - this.clock.now(), signal);
      } else {
        await aborted;
      }
    };
    // Task timeouts also run on real time: a Lambda's running time is not scaled.
    let timer: NodeJS.Timeout | undefined;
    const armTimeout = () => {
      clearTimeout(timer);
      if (timeoutSeconds !== undefined)
        timer = setTimeout(() => rejectTimeout(timedOut()), timeoutSeconds * 1000);
    };
    const context: TaskContext = {
      ...attempt,
      executionArn: this.options.executionArn,
      stateMachineArn: this.options.stateMachineArn,
      signal,
      sleep,
      started: armTimeout,
    };
    armTimeout();
    const call = Promise.resolve().then(() => invokeTask(target, payload, context));
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
      // Releases a hung (sleeping) invocation; its late result is ignored.
      attemptAbort.abort();
    }
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

/** Error and Cause of a thrown value: `name`, and a string `cause` property or else the message. */
function asFailure(thrown: unknown): { error: string; cause?: string } {
  if (thrown instanceof Error) {
    const cause = (thrown as { cause?: unknown }).cause;
    return { error: thrown.name, cause: typeof cause === 'string' ? cause : thrown.message };
  }
  return { error: 'Error', cause: String(thrown) };
}

/** The output of `arn:aws:states:::lambda:invoke`: the function's result under Payload, as AWS wraps it. */
function lambdaInvokeResult(result: Json): Json {
  return {
    ExecutedVersion: '$LATEST',
    Payload: result,
    SdkHttpMetadata: {
      AllHttpHeaders: { 'Content-Type': ['application/json'], 'X-Amz-Executed-Version': ['$LATEST'] },
      HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: crypto.randomUUID() },
    StatusCode: 200,
  };
}

/**
 * `arn:aws:states:::lambda:invoke` -> ["lambda", "invoke"], `arn:aws:states:::states:startExecution.sync:2` ->
 * ["states", "startExecution.sync:2"]; any other resource -> ["", resource].
 */
function splitServiceResource(resource: string): [string, string] {
  const match = /^arn:aws[a-z-]*:states:::([^:]+):(.+)$/.exec(resource);
  return match ? [match[1] ?? '', match[2] ?? ''] : ['', resource];
}

/** A deep copy of `value` with every occurrence of `from` in its strings replaced by `to`. */
function replaceString(value: Json, from: string | undefined, to: string | undefined): Json {
  if (from === undefined || to === undefined || from === to) return value;
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((item) => replaceString(item, from, to));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceString(v, from, to)]));
  return value;
}

function regionOf(arn: string): string {
  return arn.split(':')[3] ?? 'us-east-1';
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
