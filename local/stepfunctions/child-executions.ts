/**
 * The `arn:aws:states:::states:startExecution[.sync[:2]]` integration: a Task that starts a child execution in the
 * same local service (so ListExecutions lists it) and, with `.sync`, waits for it.
 */
import { isObject, stripUndefined, type Json, type JsonObject } from './definition';
import type { ChildExecution } from './execution-types';
import { NOT_TRUNCATED } from './history';
import { StatesError } from './runtime-errors';
import { sdkMetadata } from './sdk-metadata';
import type { TaskHost } from './task-host';
import { withTimers } from './task-timers';

/** `states:startExecution`, optionally `.sync` or `.sync:2`; its groups are the two suffixes. */
export const START_EXECUTION = /^arn:aws[a-z-]*:states:::states:startExecution(\.sync(:2)?)?$/;

/**
 * `states:startExecution`: starts the child in the same service. Plain, the result is StartExecution's; `.sync`
 * waits for the child and returns DescribeExecution's (`:2` with Input and Output as JSON); a child that does not
 * succeed fails the Task with States.TaskFailed and the DescribeExecution JSON as Cause.
 */
export async function startChild(
  host: TaskHost,
  stateName: string,
  parameters: Json,
  sync: string | undefined,
  sync2: string | undefined,
  task: { resourceType: string; resourceName: string; startedAt: number; timeoutSeconds?: number },
): Promise<Json> {
  const child = startChildExecution(host, stateName, parameters);
  const started: JsonObject = {
    ExecutionArn: child.executionArn,
    StartDate: child.handle.startDate.getTime(),
    ...sdkMetadata('application/x-amz-json-1.0'),
  };
  if (!sync) return started;
  host.syncChildStarted(child);
  host.record(stateName, 'TaskSubmitted', {
    resourceType: task.resourceType,
    resource: task.resourceName,
    output: JSON.stringify(started),
    outputDetails: NOT_TRUNCATED,
  });
  await withTimers(host, child.handle.done, task.startedAt, task.timeoutSeconds);
  const described = describeChild(child, sync2 !== undefined);
  if (child.handle.status !== 'SUCCEEDED')
    throw new StatesError('States.TaskFailed', JSON.stringify(described));
  return described;
}

/** StartExecution through the service; its API errors (an error with a `type`) become the Task's error, as on AWS. */
function startChildExecution(host: TaskHost, stateName: string, parameters: Json): ChildExecution {
  const { startChildExecution: start } = host.options;
  if (!start) {
    throw new StatesError(
      'States.TaskFailed',
      `No local Step Functions service is configured for startExecution (state '${stateName}')`,
    );
  }
  const request = isObject(parameters) ? parameters : {};
  const rawInput = request.Input;
  try {
    const child = start({
      stateMachineArn: typeof request.StateMachineArn === 'string' ? request.StateMachineArn : '',
      ...(typeof request.Name === 'string' ? { name: request.Name } : {}),
      input: typeof rawInput === 'string' ? rawInput : JSON.stringify(rawInput === undefined ? {} : rawInput),
      parentExecutionArn: host.options.executionArn,
      // Resumed after a restart: the child this Task started before it is the one to wait for.
      ...(host.isResuming(stateName) ? { attachExisting: true } : {}),
    });
    if (host.isResuming(stateName)) host.resumeTaken();
    return child;
  } catch (error) {
    const code = (error as { type?: unknown }).type;
    if (typeof code !== 'string') throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StatesError(
      `StepFunctions.${code}Exception`,
      `${message} (Service: AWSStepFunctions; Status Code: 400; Error Code: ${code}; Request ID: ${crypto.randomUUID()}; Proxy: null)`,
    );
  }
}

/** DescribeExecution of an ended child, as a `.sync` Task returns it (`.sync:2`: Input and Output as JSON). */
function describeChild(child: ChildExecution, asJson: boolean): JsonObject {
  const { handle } = child;
  const json = (text: string | undefined): Json =>
    asJson && text !== undefined ? (JSON.parse(text) as Json) : (text ?? null);
  return stripUndefined({
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
}
