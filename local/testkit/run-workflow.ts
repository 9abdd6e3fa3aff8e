import { DYNAMODB_RESOURCE, dynamodbTasks } from '../stepfunctions/integrations';
import { randomUUID } from 'node:crypto';
import {
  startExecution,
  TaskTokens,
  VirtualClock,
  type ChildExecution,
  type ChildExecutionRequest,
  type ExecutionHandle,
  type ExecutionStatus,
  type HistoryEvent,
  type InvokeTask,
  type Json,
  type TaskContext,
  type WaitingTaskInfo,
} from '../stepfunctions/engine';
import type { JsonObject } from '../stepfunctions/definition';
import { startStepFunctionsServer, type StepFunctionsServer } from '../stepfunctions/server';
import { analyze, type TaskAttempt, type WaitRecord } from './analysis';
import { ApiStarts } from './api-starts';
import { actOut, faultFor, type Faults } from './faults';
import { InProcessLambdas } from './lambda';
import { arnOf, checkPlans, MachineLoader } from './machines';
import { appendRecord } from './records';
import { kitState, type KitState } from './state';

/**
 * How a test answers a `.waitForTaskToken` Task (after the resource, e.g. the Lambda, was invoked with the token):
 * - `{ success: output }` / `{ failure: { error, cause } }`: SendTaskSuccess / SendTaskFailure, at once or after
 *   `afterSeconds` of the fake clock, with SendTaskHeartbeat every `heartbeatEverySeconds` meanwhile (keep it below
 *   the state's HeartbeatSeconds);
 * - `'timeout'`: no answer; heartbeats keep it alive until TimeoutSeconds fires States.Timeout;
 * - `'heartbeat-timeout'`: no answer and no heartbeat: HeartbeatSeconds fires (States.HeartbeatTimeout in Retry
 *   and Catch; AWS records it as States.Timeout in the history);
 * - `undefined` from a function: the function answered (or not) itself before its promise settled, e.g. by calling
 *   the webhook handler, whose SFN client reaches the kit's in-process endpoint, or with the kit's
 *   sendTaskSuccess/sendTaskFailure; if the task still waits then, fake time runs to its HeartbeatSeconds or
 *   TimeoutSeconds. No entry for the state: the test answers whenever it likes, and time does not run meanwhile.
 * TimeoutSeconds and HeartbeatSeconds of callback and `.sync` Tasks are passive on the fake clock: real work in
 * flight never times them out; they fire when sleeps (Wait states, Retry intervals, the answers above) move fake
 * time past them.
 */
export type CallbackAnswer =
  | { success: Json; afterSeconds?: number; heartbeatEverySeconds?: number }
  | { failure: { error?: string; cause?: string }; afterSeconds?: number; heartbeatEverySeconds?: number }
  | 'timeout'
  | 'heartbeat-timeout'
  | undefined;

/** Answers for `.waitForTaskToken` Task states by state name (in the machine run or any child it starts). */
export type Callbacks = Record<
  string,
  | CallbackAnswer
  | ((token: string, input: Json, task: WaitingTaskInfo) => CallbackAnswer | Promise<CallbackAnswer>)
>;

export interface RunOptions {
  /** Errors, Lambda service failures or hangs instead of the handler, per Task state and attempt. */
  faults?: Faults;
  /**
   * Stand-ins for the resource of Task states, by state name (a test-only machine's Tasks, or a function the test
   * does not exercise): called instead of the handler with what it would receive; faults take precedence. `real`
   * runs the state's own resource (the handler, or the DynamoDB integration), e.g. on a later attempt.
   */
  stubs?: Record<
    string,
    (input: Json, task: TaskContext, real: (input: Json) => Promise<Json>) => Json | Promise<Json>
  >;
  /** Answers for `.waitForTaskToken` Task states, by state name (see CallbackAnswer). */
  callbacks?: Callbacks;
  /** The execution name (default: a UUID). */
  name?: string;
  /** Defaults to a VirtualClock at the current time: Retry intervals and Wait states take no real time. */
  clock?: VirtualClock;
  /**
   * Test-only machines by name, used before statemachines/<name>.asl.json (same placeholders). Their executions are
   * not part of the coverage report, which covers statemachines/ only.
   */
  definitions?: Record<string, JsonObject>;
}

/** How an execution ended and what it went through. */
export interface WorkflowResult {
  /** The machine's file name in statemachines/ (`order`, `fulfilment`). */
  machine: string;
  executionArn: string;
  status: ExecutionStatus;
  /** The execution's output, parsed (SUCCEEDED only). */
  output?: Json;
  error?: string;
  cause?: string;
  /** Every state entered, in order (Map iterations and Parallel branches included). */
  states: string[];
  /** Retry intervals (the state that was retried) and Wait states, in seconds of the fake clock. */
  waits: WaitRecord[];
  /** Every Task attempt with its outcome. */
  attempts: TaskAttempt[];
  /** The AWS-shaped GetExecutionHistory events. */
  events: readonly HistoryEvent[];
  /** Executions started by its `states:startExecution` Tasks, in start order, each with its own children. */
  children: WorkflowResult[];
  /**
   * Executions the functions started through the Step Functions API (StartExecution, e.g. requestPickup's sandbox
   * carrier), in start order; on the result runWorkflow returns only.
   */
  started?: WorkflowResult[];
}

interface Kit {
  state: KitState;
  lambdas: InProcessLambdas;
  machines: MachineLoader;
  /** The task tokens of this test file's executions. */
  tokens: TaskTokens;
  /**
   * SendTask* and StartExecution for handlers that call Step Functions (AWS_ENDPOINT_URL_SFN points here): the
   * machines they start run in the current runWorkflow, on its clock.
   */
  endpoint: Promise<StepFunctionsServer>;
  apiStarts: ApiStarts;
}

let context: Kit | undefined;

function kit(): Kit {
  context ??= (() => {
    const state = kitState();
    const tokens = new TaskTokens();
    const lambdas = new InProcessLambdas(state);
    const apiStarts = new ApiStarts();
    return {
      state,
      lambdas,
      machines: new MachineLoader(state, lambdas),
      tokens,
      endpoint: startStepFunctionsServer({
        port: 0,
        taskTokens: tokens,
        region: state.region,
        startExecution: apiStarts.startExecution,
      }),
      apiStarts,
    };
  })();
  return context;
}

/** Stops the kit's in-process Step Functions endpoint (jest does it after each test file; other callers, themselves). */
export async function closeKit(): Promise<void> {
  const current = context;
  context = undefined;
  if (current) await (await current.endpoint).stop();
}

// Registered in every test file that imports the kit: the endpoint is per file, like jest's module registry. Outside
// jest (the bench) there is no afterAll, and the caller closes the kit.
if (typeof afterAll === 'function') afterAll(closeKit);

/** SendTaskSuccess for a token of this test file's executions (throws AWS's TaskTokenError otherwise). */
export function sendTaskSuccess(token: string, output: Json): void {
  kit().tokens.sendTaskSuccess(token, JSON.stringify(output));
}

/** SendTaskFailure for a token of this test file's executions. */
export function sendTaskFailure(token: string, error?: string, cause?: string): void {
  kit().tokens.sendTaskFailure(token, error, cause);
}

/** SendTaskHeartbeat for a token of this test file's executions. */
export function sendTaskHeartbeat(token: string): void {
  kit().tokens.sendTaskHeartbeat(token);
}

/**
 * Invokes a function of serverless.yml in this process as runWorkflow's Tasks do (its environment set before its
 * module loads, event and result through JSON), e.g. an HTTP handler that starts the workflow.
 */
export function invokeFunction(functionKey: string, event: Json): Promise<Json> {
  return kit().lambdas.invoke(functionKey, event);
}

/**
 * Runs statemachines/<machine>.asl.json to its end on the engine the local cloud uses, with serverless.yml's
 * real handlers invoked in this process against the suite's DynamoDB Local, on a fake clock. A
 * `states:startExecution[.sync[:2]]` Task runs the machine its `${XxxStateMachineArn}` placeholder names
 * (statemachines/xxx.asl.json) as a child execution on the same clock, invoker, faults and callbacks; it is in
 * `result.children`. Records the ASL elements every execution took for the coverage report (each under its machine).
 */
export async function runWorkflow(
  machine: string,
  input: Json,
  options: RunOptions = {},
): Promise<WorkflowResult> {
  const current = kit();
  const { state, lambdas, tokens } = current;
  const machines = current.machines.machines(options.definitions);
  const definition = machines.load(machine);
  const faults = options.faults ?? {};
  const callbacks = options.callbacks ?? {};
  checkPlans(machine, state, machines, {
    faults,
    stubs: Object.keys(options.stubs ?? {}),
    callbacks: Object.keys(callbacks),
  });
  process.env.AWS_ENDPOINT_URL_SFN = (await current.endpoint).url;
  const clock = options.clock ?? new VirtualClock(Date.now());
  const executions = new Map<string, { child: ChildExecution; machine: string; definition: JsonObject }>();
  const childrenOf = new Map<string, string[]>();

  const dynamodb = dynamodbTasks();
  const invokeResource = async (target: string, payload: Json, task: TaskContext): Promise<Json> => {
    if (DYNAMODB_RESOURCE.test(target)) return dynamodb(target, payload);
    const functionKey = lambdas.keyOf(target);
    if (!functionKey) throw new Error(`${task.stateName}: ${target} is not a function of serverless.yml`);
    return lambdas.invoke(functionKey, payload);
  };
  const invokeTask: InvokeTask = async (target, payload, task) => {
    const fault = faultFor(faults, task);
    if (fault !== undefined) return actOut(fault, task);
    const stub = options.stubs?.[task.stateName];
    if (stub) return stub(payload, task, (input) => invokeResource(target, input, task));
    return invokeResource(target, payload, task);
  };

  const onTaskWaiting = async (task: WaitingTaskInfo): Promise<void> => {
    const planned = callbacks[task.stateName];
    const answer = typeof planned === 'function' ? await planned(task.token, task.input, task) : planned;
    answerTask(answer, typeof planned === 'function' ? 'function' : 'value', task, tokens, clock);
  };

  const run = (
    machineName: string,
    machineDefinition: JsonObject,
    executionInput: Json,
    name: string,
    inputText: string,
  ): ChildExecution => {
    const stateMachineArn = arnOf(state, machineName);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const handle: ExecutionHandle = startExecution({
      definition: machineDefinition,
      input: executionInput,
      name,
      stateMachineArn,
      executionArn,
      invokeTask,
      clock,
      taskTokens: tokens,
      onTaskWaiting,
      startChildExecution: (request) => startChild(request),
      ...(process.env.WORKFLOW_LOG === '1' ? { log: (line: string) => console.log(line) } : {}),
    });
    const child = { executionArn, stateMachineArn, name, input: inputText, handle };
    executions.set(executionArn, { child, machine: machineName, definition: machineDefinition });
    return child;
  };

  const startChild = (request: ChildExecutionRequest): ChildExecution => {
    const prefix = arnOf(state, '');
    const childMachine = request.stateMachineArn.startsWith(prefix)
      ? request.stateMachineArn.slice(prefix.length)
      : '';
    if (!childMachine || !machines.exists(childMachine)) {
      throw Object.assign(new Error(`State Machine Does Not Exist: '${request.stateMachineArn}'`), {
        type: 'StateMachineDoesNotExist',
      });
    }
    const name = request.name ?? randomUUID();
    const arn = `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = executions.get(arn);
    if (existing) {
      if (existing.child.input === request.input && existing.child.handle.status === 'RUNNING')
        return existing.child;
      throw Object.assign(new Error(`Execution Already Exists: '${arn}'`), {
        type: 'ExecutionAlreadyExists',
      });
    }
    let childInput: Json;
    try {
      childInput = JSON.parse(request.input) as Json;
    } catch {
      throw Object.assign(new Error('Invalid State Machine Execution Input'), {
        type: 'InvalidExecutionInput',
      });
    }
    const child = run(childMachine, machines.load(childMachine), childInput, name, request.input);
    // A function's StartExecution has no parent: ApiStarts keeps those executions.
    if (request.parentExecutionArn)
      childrenOf.set(request.parentExecutionArn, [
        ...(childrenOf.get(request.parentExecutionArn) ?? []),
        arn,
      ]);
    return child;
  };

  const name = options.name ?? randomUUID();
  const startedFromApi = current.apiStarts.open(startChild, clock);
  let root: ChildExecution;
  try {
    root = run(machine, definition, input, name, JSON.stringify(input));
    await root.handle.done;
    // Children a plain startExecution left running end on the same clock (a .sync child has ended already), and so
    // do the executions functions started.
    await Promise.all([...executions.values()].map((e) => e.child.handle.done));
  } finally {
    current.apiStarts.close();
  }

  const resultOf = async (executionArn: string): Promise<WorkflowResult> => {
    const entry = executions.get(executionArn);
    if (!entry) throw new Error(`unknown execution ${executionArn}`);
    const { handle } = entry.child;
    const analysis = await analyze(entry.definition, handle.events, (id) => handle.stateOfEvent(id));
    appendRecord(state.recordsDir, { kind: 'execution', machine: entry.machine, covered: analysis.covered });
    return {
      machine: entry.machine,
      executionArn,
      status: handle.status,
      ...(handle.output === undefined ? {} : { output: JSON.parse(handle.output) as Json }),
      ...(handle.error === undefined ? {} : { error: handle.error }),
      ...(handle.cause === undefined ? {} : { cause: handle.cause }),
      states: analysis.states,
      waits: analysis.waits,
      attempts: analysis.attempts,
      events: handle.events,
      children: await Promise.all((childrenOf.get(executionArn) ?? []).map(resultOf)),
    };
  };
  const result = await resultOf(root.executionArn);
  return startedFromApi.length === 0
    ? result
    : { ...result, started: await Promise.all(startedFromApi.map((child) => resultOf(child.executionArn))) };
}

/**
 * Resolves once every execution the functions of the running runWorkflow started through the API has ended: a
 * callback plan awaits it when such an execution answers the task (the sandbox carrier's round), so the kit drives
 * fake time to the task's deadline only if that execution did not answer.
 */
export function executionsStartedByFunctions(): Promise<void> {
  return context?.apiStarts.settled() ?? Promise.resolve();
}

/** Carries out a test's answer to a waiting task on the fake clock. */
function answerTask(
  answer: CallbackAnswer,
  answeredBy: 'function' | 'value',
  task: WaitingTaskInfo,
  tokens: TaskTokens,
  clock: VirtualClock,
): void {
  if (answer === undefined) {
    // A callback function that settled without answering (e.g. the sandbox carrier never comes): let fake time run
    // to the task's first deadline, so HeartbeatSeconds/TimeoutSeconds fire as they would.
    const stillWaiting = tokens.waiting().some((waiting) => waiting.token === task.token);
    const deadline = Math.min(task.heartbeatSeconds ?? Infinity, task.timeoutSeconds ?? Infinity);
    if (answeredBy === 'function' && stillWaiting && Number.isFinite(deadline))
      void clock.sleep(deadline * 1000);
    return;
  }
  const where = `callbacks.${task.stateName}`;
  const beat = async (everySeconds: number, forSeconds: number): Promise<void> => {
    for (let elapsed = everySeconds; elapsed < forSeconds; elapsed += everySeconds) {
      await clock.sleep(everySeconds * 1000);
      try {
        tokens.sendTaskHeartbeat(task.token);
      } catch {
        return; // the task has ended
      }
    }
  };
  // The engine's timers are passive on the virtual clock (real work takes no time): the kit moves time to them.
  const driveTo = (seconds: number) => void clock.sleep(seconds * 1000);
  if (answer === 'timeout') {
    if (task.timeoutSeconds === undefined)
      throw new Error(`${where}: 'timeout', but the state has no TimeoutSeconds, so it would wait forever`);
    if (task.heartbeatSeconds !== undefined) void beat(task.heartbeatSeconds / 2, task.timeoutSeconds);
    driveTo(task.timeoutSeconds);
    return;
  }
  if (answer === 'heartbeat-timeout') {
    if (task.heartbeatSeconds === undefined)
      throw new Error(`${where}: 'heartbeat-timeout', but the state has no HeartbeatSeconds`);
    driveTo(task.heartbeatSeconds);
    return;
  }
  const send = () => {
    try {
      if ('success' in answer) tokens.sendTaskSuccess(task.token, JSON.stringify(answer.success));
      else tokens.sendTaskFailure(task.token, answer.failure.error, answer.failure.cause);
    } catch {
      // Timed out before the answer: the history shows it.
    }
  };
  const after = answer.afterSeconds ?? 0;
  if (after <= 0) {
    send();
    return;
  }
  if (answer.heartbeatEverySeconds !== undefined) void beat(answer.heartbeatEverySeconds, after);
  void clock.sleep(after * 1000).then(send);
}
