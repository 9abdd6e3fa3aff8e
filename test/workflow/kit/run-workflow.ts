import { randomUUID } from 'node:crypto';
import { loadDefinition } from '../../../statemachines/load-asl';
import {
  startExecution,
  VirtualClock,
  type ExecutionStatus,
  type HistoryEvent,
  type InvokeTask,
  type Json,
} from '../../../local/stepfunctions/engine';
import { forEachState, type JsonObject } from '../../../local/stepfunctions/definition';
import { analyze, type TaskAttempt, type WaitRecord } from './analysis';
import { actOut, faultFor, type Faults } from './faults';
import { InProcessLambdas } from './lambda';
import { appendRecord } from './records';
import { kitState, type KitState } from './state';

export interface RunOptions {
  /** Errors, Lambda service failures or hangs instead of the handler, per Task state and attempt. */
  faults?: Faults;
  /** The execution name (default: the input's orderId, else a UUID). */
  name?: string;
  /** Defaults to a VirtualClock at the current time: Retry intervals and Wait states take no real time. */
  clock?: VirtualClock;
}

/** How an execution ended and what it went through. */
export interface WorkflowResult {
  status: ExecutionStatus;
  /** The execution's output, parsed (SUCCEEDED only). */
  output?: Json;
  error?: string;
  cause?: string;
  /** Every state entered, in order. */
  states: string[];
  /** Retry intervals (the state that was retried) and Wait states, in seconds of the fake clock. */
  waits: WaitRecord[];
  /** Every Task attempt with its outcome. */
  attempts: TaskAttempt[];
  /** The AWS-shaped GetExecutionHistory events. */
  events: readonly HistoryEvent[];
}

let context: { state: KitState; lambdas: InProcessLambdas } | undefined;

function kit(): { state: KitState; lambdas: InProcessLambdas } {
  context ??= (() => {
    const state = kitState();
    return { state, lambdas: new InProcessLambdas(state) };
  })();
  return context;
}

/**
 * Runs statemachines/<machine>.asl.json to its end on the engine the local cloud uses, with serverless.yml's
 * real handlers invoked in this process against the suite's DynamoDB Local, on a fake clock. Records the ASL
 * elements the execution took for the coverage report.
 */
export async function runWorkflow(
  machine: string,
  input: Json,
  options: RunOptions = {},
): Promise<WorkflowResult> {
  const { state, lambdas } = kit();
  const definition = loadDefinition(machine, (key) => lambdas.arnOf(key)) as JsonObject;
  const faults = options.faults ?? {};
  checkFaults(machine, definition, faults);
  const name = options.name ?? orderIdOf(input) ?? randomUUID();
  const stateMachineArn = `arn:aws:states:${state.region}:000000000000:stateMachine:${state.service}-${state.stage}-${machine}`;

  const invokeTask: InvokeTask = async (target, payload, task) => {
    const fault = faultFor(faults, task);
    if (fault !== undefined) return actOut(fault, task);
    const functionKey = lambdas.keyOf(target);
    if (!functionKey) throw new Error(`${task.stateName}: ${target} is not a function of serverless.yml`);
    return lambdas.invoke(functionKey, payload);
  };

  const execution = startExecution({
    definition,
    input,
    name,
    stateMachineArn,
    executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
    invokeTask,
    clock: options.clock ?? new VirtualClock(Date.now()),
    ...(process.env.WORKFLOW_LOG === '1' ? { log: (line: string) => console.log(line) } : {}),
  });
  await execution.done;

  const analysis = await analyze(definition, execution.events);
  appendRecord(state.recordsDir, { kind: 'execution', machine, covered: analysis.covered });
  return {
    status: execution.status,
    ...(execution.output === undefined ? {} : { output: JSON.parse(execution.output) as Json }),
    ...(execution.error === undefined ? {} : { error: execution.error }),
    ...(execution.cause === undefined ? {} : { cause: execution.cause }),
    states: analysis.states,
    waits: analysis.waits,
    attempts: analysis.attempts,
    events: execution.events,
  };
}

/** A fault for a state that is not a Task, or a hang without a timeout, is a mistake in the test. */
function checkFaults(machine: string, definition: JsonObject, faults: Faults): void {
  const tasks = new Map<string, JsonObject>();
  forEachState(definition, (name, state) => {
    if (state.Type === 'Task') tasks.set(name, state);
  });
  for (const [stateName, planned] of Object.entries(faults)) {
    const task = tasks.get(stateName);
    if (!task) throw new Error(`faults: ${machine} has no Task state "${stateName}"`);
    const hangs = Object.values(planned).some((fault) => fault === 'timeout');
    if (hangs && task.TimeoutSeconds === undefined && task.TimeoutSecondsPath === undefined) {
      throw new Error(`faults: ${stateName} has no TimeoutSeconds, so a 'timeout' fault would hang forever`);
    }
  }
}

function orderIdOf(input: Json): string | undefined {
  return typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    typeof input.orderId === 'string'
    ? input.orderId
    : undefined;
}
