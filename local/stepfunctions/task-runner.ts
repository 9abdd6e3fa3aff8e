/**
 * Task states: each attempt's history events (Lambda ARNs as LambdaFunction*, integrations as Task*), Retry on the
 * execution's clock, and the integration patterns — request-response through the invoker (task-invocation.ts),
 * `states:startExecution[.sync[:2]]` (child-executions.ts) and `.waitForTaskToken` (task-timers.ts).
 */
import type { HandlerDetails } from './interpreter/run';
import { isObject, stripUndefined, type AslState, type Json } from './definition';
import { NOT_TRUNCATED } from './history';
import { readRetriers, RetryPolicy } from './retry';
import { StatesError } from './runtime-errors';
import { START_EXECUTION, startChild } from './child-executions';
import type { TaskHost } from './task-host';
import { invokeOnce } from './task-invocation';
import { awaitCallback } from './task-timers';
import type { CallbackTask } from './task-tokens';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:/;
const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';

/** Whether a Task's Resource is a callback (`.waitForTaskToken`) integration: its Parameters may read `$$.Task.Token`. */
export function isCallbackResource(resource: unknown): boolean {
  return typeof resource === 'string' && resource.endsWith(WAIT_FOR_TASK_TOKEN);
}

/** A Task's Resource, read once for all its attempts. */
interface TaskResource {
  /** As written. */
  resource: string;
  waitsForToken: boolean;
  /** A Lambda function ARN: its attempts are LambdaFunction* events. */
  isLambdaArn: boolean;
  /** `lambda:invoke`: the function is Parameters' FunctionName, its input their Payload, its result wrapped. */
  isLambdaInvoke: boolean;
  startsExecution: RegExpExecArray | null;
  /** As Task* events name the resource. */
  resourceType: string;
  resourceName: string;
}

function readResource(state: AslState): TaskResource {
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  const waitsForToken = resource.endsWith(WAIT_FOR_TASK_TOKEN);
  const baseResource = waitsForToken ? resource.slice(0, -WAIT_FOR_TASK_TOKEN.length) : resource;
  const [resourceType, resourceName] = splitServiceResource(resource);
  return {
    resource,
    waitsForToken,
    isLambdaArn: LAMBDA_ARN.test(resource),
    isLambdaInvoke: baseResource === LAMBDA_INVOKE || baseResource.startsWith(`${LAMBDA_INVOKE}:`),
    startsExecution: START_EXECUTION.exec(resource),
    resourceType,
    resourceName,
  };
}

/**
 * Runs a Task state to its result: every attempt, with its history events, until one succeeds or Retry gives up
 * (then throws the StatesError that Catch sees). `firstCallback` is the token its Parameters read, if any.
 */
export async function runTask(
  host: TaskHost,
  name: string,
  state: AslState,
  input: Json,
  firstCallback?: CallbackTask,
  details?: HandlerDetails,
): Promise<Json> {
  const task = readResource(state);
  const { resource, waitsForToken, isLambdaArn, isLambdaInvoke, startsExecution } = task;
  const target =
    isLambdaInvoke && isObject(input) && typeof input.FunctionName === 'string'
      ? input.FunctionName
      : resource;
  let payload = isLambdaInvoke ? (isObject(input) ? (input.Payload ?? {}) : {}) : input;
  const policy = new RetryPolicy(readRetriers(state.Retry), true);
  // As the interpreter resolved them (a JSONata expression, TimeoutSecondsPath, or the number written).
  const timeoutSeconds = details?.timeoutSeconds;
  const heartbeatSeconds = waitsForToken ? details?.heartbeatSeconds : undefined;
  let callback = firstCallback;
  if (!waitsForToken) callback?.close();

  for (let attempt = 1; ; attempt++) {
    if (waitsForToken && (attempt > 1 || !callback)) {
      // Each attempt waits on a token of its own; the Parameters carried the previous one.
      const fresh = host.tokens.issue(host.options.executionArn, name);
      if (callback) payload = replaceString(payload, callback.token, fresh.token);
      callback = fresh;
    }
    // Resumed after a restart with its function already run: only the token is awaited (same token as before).
    const submitted = attempt === 1 && callback !== undefined && host.resumedSubmitted(name);
    if (!submitted) {
      // Otherwise nothing is scheduled again: the history goes on with the callback's outcome.
      const parameters = replaceString(input, firstCallback?.token, callback?.token);
      recordScheduled(host, name, task, { payload, parameters, timeoutSeconds, heartbeatSeconds });
    }
    const startedAt = host.clock.now();
    try {
      let output: Json = null;
      if (submitted) {
        // The function's result was recorded (TaskSubmitted) before the restart.
      } else if (startsExecution) {
        output = await startChild(host, name, payload, startsExecution[1], startsExecution[2], {
          resourceType: task.resourceType,
          resourceName: task.resourceName,
          startedAt,
          timeoutSeconds,
        });
      } else {
        const result = await invokeOnce(
          host,
          target,
          payload,
          { stateName: name, attempt, resource },
          timeoutSeconds,
        );
        output = isLambdaInvoke ? lambdaInvokeResult(result) : result;
      }
      if (callback) {
        if (!submitted) recordOutput(host, name, task, 'TaskSubmitted', output);
        output = await awaitCallback(host, callback, {
          attempt,
          input: payload,
          startedAt,
          timeoutSeconds,
          heartbeatSeconds,
        });
      }
      recordOutput(host, name, task, isLambdaArn ? 'LambdaFunctionSucceeded' : 'TaskSucceeded', output);
      return output;
    } catch (thrown) {
      callback?.close();
      if (host.signal.aborted) throw new StatesError('States.Aborted', 'The execution was stopped');
      const { error, cause } = asFailure(thrown);
      recordFailure(host, name, task, error, cause);
      const retry = policy.next(error);
      if (retry === undefined) throw new StatesError(error, cause ?? '');
      host.log(`  ${name} failed with ${error} (attempt ${attempt}); retrying in ${retry.delayMs / 1000} s`);
      await host.clock.sleep(retry.delayMs, host.signal);
      host.checkVirtualDeadline();
      if (host.signal.aborted) throw new StatesError('States.Aborted', 'The execution was stopped');
    }
  }
}

/** LambdaFunctionScheduled + LambdaFunctionStarted, or TaskScheduled + TaskStarted, as an attempt begins. */
function recordScheduled(
  host: TaskHost,
  name: string,
  task: TaskResource,
  attempt: { payload: Json; parameters: Json; timeoutSeconds?: number; heartbeatSeconds?: number },
): void {
  const { timeoutSeconds, heartbeatSeconds } = attempt;
  if (task.isLambdaArn) {
    host.record(name, 'LambdaFunctionScheduled', {
      resource: task.resource,
      input: JSON.stringify(attempt.payload),
      inputDetails: NOT_TRUNCATED,
      ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
    });
    host.record(name, 'LambdaFunctionStarted');
    return;
  }
  const { resourceType, resourceName } = task;
  host.record(name, 'TaskScheduled', {
    resourceType,
    resource: resourceName,
    region: regionOf(host.options.stateMachineArn),
    parameters: JSON.stringify(attempt.parameters),
    ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
    ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: heartbeatSeconds }),
  });
  host.record(name, 'TaskStarted', { resourceType, resource: resourceName });
}

/** An event carrying the attempt's output: TaskSubmitted, TaskSucceeded or LambdaFunctionSucceeded. */
function recordOutput(
  host: TaskHost,
  name: string,
  task: TaskResource,
  type: 'TaskSubmitted' | 'TaskSucceeded' | 'LambdaFunctionSucceeded',
  output: Json,
): void {
  const resource =
    type === 'LambdaFunctionSucceeded'
      ? {}
      : { resourceType: task.resourceType, resource: task.resourceName };
  host.record(name, type, { ...resource, output: JSON.stringify(output), outputDetails: NOT_TRUNCATED });
}

/** The failed attempt's event: *TimedOut for States.Timeout and States.HeartbeatTimeout, else *Failed. */
function recordFailure(
  host: TaskHost,
  name: string,
  task: TaskResource,
  error: string,
  cause?: string,
): void {
  const timedOut = error === 'States.Timeout' || error === 'States.HeartbeatTimeout';
  // AWS records a heartbeat timeout as States.Timeout; only Retry and Catch tell it apart.
  const details = stripUndefined({
    error: timedOut ? 'States.Timeout' : error,
    cause: cause === '' ? undefined : cause,
  });
  if (task.isLambdaArn)
    host.record(name, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
  else
    host.record(name, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
      resourceType: task.resourceType,
      resource: task.resourceName,
      ...details,
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
