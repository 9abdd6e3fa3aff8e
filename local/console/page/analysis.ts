/**
 * Reads an execution's GetExecutionHistory as the AWS console does: what happened to each state (succeeded, failed,
 * caught, retried, running now, not reached), its attempts and their waits, the transitions taken, the tasks waiting
 * on a token (the token read from the TaskScheduled event's parameters) and the child executions started.
 *
 * Task events do not name their state; each is given to the open (entered, not exited) state it belongs to: by
 * resource for *Scheduled, else the open Task state whose last event it follows.
 */
import type { ExecutionStatus, HistoryEvent } from './api';
import { START, type GraphModel, type StateInfo } from './model';

export type StateStatus =
  'not-reached' | 'running' | 'succeeded' | 'failed' | 'caught' | 'retried' | 'aborted';

export interface Attempt {
  scheduledAt: number;
  error?: string;
  cause?: string;
  failedAt?: number;
  /** How long the execution waited before the next attempt (the Retry's backoff), in ms. */
  waitMs?: number;
}

export interface StateRun {
  name: string;
  status: StateStatus;
  entered: number;
  exited: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  attempts: Attempt[];
  events: HistoryEvent[];
  /** The task token a `.waitForTaskToken` Task waits on now. */
  waitingToken?: string;
  childExecutionArns: string[];
  /** The last task outcome was a failure not (yet) followed by a new attempt. */
  failurePending: boolean;
  lastPhase?: string;
}

export interface WaitingTask {
  state: string;
  token: string;
}

export interface Analysis {
  runs: Map<string, StateRun>;
  /** `from|to` of each transition taken (node ids of the graph model). */
  taken: Set<string>;
  waiting: WaitingTask[];
  /** Event id -> the state it belongs to. */
  eventState: Map<number, string>;
  startedAt?: number;
}

const TASK_PHASES: Record<string, string[]> = {
  Started: ['Scheduled'],
  Submitted: ['Started'],
  Succeeded: ['Started', 'Submitted'],
  Failed: ['Started', 'Submitted', 'Scheduled'],
  TimedOut: ['Started', 'Submitted', 'Scheduled'],
  StartFailed: ['Scheduled'],
};

export function analyse(model: GraphModel, events: HistoryEvent[], status: ExecutionStatus): Analysis {
  const runs = new Map<string, StateRun>();
  for (const name of model.states.keys()) {
    runs.set(name, {
      name,
      status: 'not-reached',
      entered: 0,
      exited: 0,
      attempts: [],
      events: [],
      childExecutionArns: [],
      failurePending: false,
    });
  }
  const taken = new Set<string>();
  const eventState = new Map<number, string>();
  const lastDeparted = new Map<string, string>();
  /** Open states, in the order they were entered (a name appears once per open instance, e.g. Map iterations). */
  const open: string[] = [];
  let startedAt: number | undefined;

  const info = (name: string): StateInfo | undefined => model.states.get(name);
  const depart = (state: StateInfo) => lastDeparted.set(state.scope, state.exitNode);

  for (const [index, event] of events.entries()) {
    const type = event.type;
    if (type === 'ExecutionStarted') startedAt = event.timestamp;
    let name: string | undefined;
    if (type.endsWith('StateEntered') || type.endsWith('StateExited')) {
      name = detail(
        event,
        type.endsWith('StateEntered') ? 'stateEnteredEventDetails' : 'stateExitedEventDetails',
      ).name as string | undefined;
    } else if (type.startsWith('MapIteration')) {
      name = detail(event, eventKey(type)).name as string | undefined;
    } else if (type.startsWith('Map') || type.startsWith('Parallel')) {
      const kind = type.startsWith('Map') ? 'Map' : 'Parallel';
      name = [...open].reverse().find((candidate) => info(candidate)?.def.Type === kind);
    } else if (type.startsWith('Task') || type.startsWith('LambdaFunction')) {
      name = taskState(model, open, runs, event, events[index + 1]);
    }
    const state = name === undefined ? undefined : info(name);
    const run = name === undefined ? undefined : runs.get(name);
    if (!state || !run || name === undefined) continue;
    eventState.set(event.id, name);
    run.events.push(event);

    if (type.endsWith('StateEntered')) {
      run.entered++;
      run.input = detail(event, 'stateEnteredEventDetails').input as string | undefined;
      open.push(name);
      const from = lastDeparted.get(state.scope) ?? state.container ?? START;
      taken.add(`${from}|${name}`);
      lastDeparted.delete(state.scope);
      if (state.def.Type === 'Fail') taken.add(`${state.exitNode}|${state.endTarget}`);
    } else if (type.endsWith('StateExited')) {
      run.exited++;
      run.output = detail(event, 'stateExitedEventDetails').output as string | undefined;
      const index = open.indexOf(name);
      if (index >= 0) open.splice(index, 1);
      depart(state);
      if (state.def.End === true || state.def.Type === 'Succeed')
        taken.add(`${state.exitNode}|${state.endTarget}`);
      run.waitingToken = undefined;
    } else {
      const phase = phaseOf(type);
      run.lastPhase = phase;
      if (phase === 'Scheduled') {
        const previous = run.attempts.at(-1);
        if (previous?.failedAt !== undefined && run.failurePending)
          previous.waitMs = (event.timestamp - previous.failedAt) * 1000;
        run.attempts.push({ scheduledAt: event.timestamp });
        run.failurePending = false;
        if (type === 'TaskScheduled') run.waitingToken = undefined;
      } else if (phase === 'Failed' || phase === 'TimedOut' || phase === 'StartFailed') {
        const failure = detail(event, eventKey(type));
        const error =
          typeof failure.error === 'string'
            ? failure.error
            : phase === 'TimedOut'
              ? 'States.Timeout'
              : undefined;
        const cause = typeof failure.cause === 'string' ? failure.cause : undefined;
        run.error = error;
        run.cause = cause;
        run.failurePending = true;
        run.waitingToken = undefined;
        const attempt = run.attempts.at(-1) ?? { scheduledAt: event.timestamp };
        if (run.attempts.length === 0) run.attempts.push(attempt);
        Object.assign(attempt, { error, cause, failedAt: event.timestamp });
        depart(state);
      } else if (phase === 'Succeeded') {
        run.failurePending = false;
        run.waitingToken = undefined;
        childArn(event, run);
      } else if (phase === 'Submitted') {
        childArn(event, run);
        if (typeof state.def.Resource === 'string' && state.def.Resource.endsWith('.waitForTaskToken'))
          run.waitingToken = tokenOf(state, run);
      }
    }
  }

  const waiting: WaitingTask[] = [];
  for (const run of runs.values()) {
    run.status = statusOf(run, model, runs, status);
    if (run.waitingToken && status === 'RUNNING') waiting.push({ state: run.name, token: run.waitingToken });
  }
  return { runs, taken, waiting, eventState, ...(startedAt === undefined ? {} : { startedAt }) };
}

function statusOf(
  run: StateRun,
  model: GraphModel,
  runs: Map<string, StateRun>,
  execution: ExecutionStatus,
): StateStatus {
  if (run.entered === 0) return 'not-reached';
  const state = model.states.get(run.name);
  if (state?.def.Type === 'Fail') return 'failed';
  const isOpen = run.entered > run.exited;
  if (isOpen) {
    if (execution === 'RUNNING') {
      // A failed iteration whose container has already moved on failed for good; otherwise it waits to be retried.
      const container = state?.container ? runs.get(state.container) : undefined;
      if (
        run.failurePending &&
        container &&
        container.exited + (container.failurePending ? 1 : 0) >= container.entered
      )
        return 'failed';
      return 'running';
    }
    if (run.failurePending) return 'failed';
    return execution === 'ABORTED' ? 'aborted' : 'failed';
  }
  if (run.failurePending) return 'caught';
  return run.attempts.length > run.entered ? 'retried' : 'succeeded';
}

function phaseOf(type: string): string {
  return type.replace(/^(Task|LambdaFunction|MapState|ParallelState|MapIteration)/, '');
}

function detail(event: HistoryEvent, key: string): Record<string, unknown> {
  const value = event[key];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function eventKey(type: string): string {
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

/** The open state a Task or LambdaFunction event belongs to. */
function taskState(
  model: GraphModel,
  open: string[],
  runs: Map<string, StateRun>,
  event: HistoryEvent,
  next: HistoryEvent | undefined,
): string | undefined {
  const tasks = [...new Set(open)].filter((name) => model.states.get(name)?.def.Type === 'Task');
  if (tasks.length <= 1) return tasks[0];
  const phase = phaseOf(event.type);
  if (phase === 'Scheduled') {
    const details = detail(event, eventKey(event.type));
    const resource =
      event.type === 'TaskScheduled'
        ? `arn:aws:states:::${String(details.resourceType)}:${String(details.resource)}`
        : String(details.resource);
    const matching = tasks.filter((name) => {
      const run = runs.get(name);
      return (
        model.states.get(name)?.def.Resource === resource &&
        (run?.lastPhase === undefined || run.failurePending || run.entered - run.exited > 1)
      );
    });
    return matching[0] ?? tasks.at(-1);
  }
  // Parallel branches interleave: a task's last event is followed at once by its state's exit, when it succeeded.
  const exiting = next?.type.endsWith('StateExited')
    ? detail(next, 'stateExitedEventDetails').name
    : undefined;
  if (phase === 'Succeeded' && typeof exiting === 'string' && tasks.includes(exiting)) return exiting;
  const follows = TASK_PHASES[phase] ?? [];
  return tasks.find((name) => follows.includes(runs.get(name)?.lastPhase ?? '')) ?? tasks.at(-1);
}

function childArn(event: HistoryEvent, run: StateRun): void {
  const output = detail(event, eventKey(event.type)).output;
  if (typeof output !== 'string' || !output.includes('ExecutionArn')) return;
  try {
    const parsed = JSON.parse(output) as { ExecutionArn?: unknown };
    if (typeof parsed.ExecutionArn === 'string' && !run.childExecutionArns.includes(parsed.ExecutionArn))
      run.childExecutionArns.push(parsed.ExecutionArn);
  } catch {
    // not JSON: no child
  }
}

/**
 * The token of the latest TaskScheduled: found where the state's Parameters put `$$.Task.Token` (JSONPath), or its
 * Arguments `{% $states.context.Task.Token %}` (JSONata) (for lambda:invoke.waitForTaskToken, a field of the
 * Payload), read from the parameters AWS recorded.
 */
function tokenOf(state: StateInfo, run: StateRun): string | undefined {
  const scheduled = [...run.events].reverse().find((event) => event.type === 'TaskScheduled');
  const parameters = scheduled ? detail(scheduled, 'taskScheduledEventDetails').parameters : undefined;
  if (typeof parameters !== 'string') return undefined;
  let recorded: unknown;
  try {
    recorded = JSON.parse(parameters);
  } catch {
    return undefined;
  }
  const path = tokenPath(state.def.Parameters) ?? tokenPath(state.def.Arguments);
  if (path) {
    const value = path.reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      recorded,
    );
    if (typeof value === 'string') return value;
  }
  return undefined;
}

const JSONATA_TOKEN = /^\{%\s*\$states\.context\.Task\.Token\s*%\}$/;

function tokenPath(template: unknown, path: string[] = []): string[] | undefined {
  if (!template || typeof template !== 'object' || Array.isArray(template)) return undefined;
  for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
    if (key.endsWith('.$') && value === '$$.Task.Token') return [...path, key.slice(0, -2)];
    if (typeof value === 'string' && JSONATA_TOKEN.test(value)) return [...path, key];
    const found = tokenPath(value, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
