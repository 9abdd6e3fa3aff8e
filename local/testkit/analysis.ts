import type { HistoryEvent } from '@aws-sdk/client-sfn';
import {
  forEachState,
  isObject,
  type AslState,
  type Json,
  type JsonObject,
} from '../stepfunctions/definition';
import { errorMatches } from '../stepfunctions/retry';
import { runMachine } from '../stepfunctions/interpreter/run';
import { catchersOf, catchTransitionId, errorEquals, retriersOf, transitionId } from './coverage';
import type { CoveredElements } from './records';

/** One Task attempt as the history shows it. */
export interface TaskAttempt {
  state: string;
  /** 1 for the first attempt of a state visit, 2 for its first retry... */
  attempt: number;
  outcome: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  error?: string;
  cause?: string;
}

/** Time spent on the (virtual) clock: a Retry interval before the next attempt, or a Wait state. */
export interface WaitRecord {
  state: string;
  seconds: number;
}

/** What an execution's history says, in the terms tests assert on, plus the ASL elements it took. */
export interface ExecutionAnalysis {
  states: string[];
  waits: WaitRecord[];
  attempts: TaskAttempt[];
  covered: CoveredElements;
}

const FAILURES = new Set([
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
]);

interface Visit {
  name: string;
  state: AslState | undefined;
  input: Json;
  /** The workflow variables when the state was entered (from the history's assignedVariables). */
  variables: Record<string, Json>;
  enteredAt: number;
  attempt: number;
  exited: boolean;
  /** The last attempt's failure, until a retry starts. */
  failure?: { error: string; at: number };
  attemptStartedAt?: number;
  /** A Map or Parallel state that failed (MapStateFailed/ParallelStateFailed): a Catch took it out. */
  containerFailed?: boolean;
}

/**
 * Reads the states entered, the waits, the Task attempts and the covered elements from the history.
 * Transitions are followed per sub-machine (the top level, each Parallel branch, a Map's processor), so a Map or
 * Parallel state's own Next and Catch are told from its inner states'. Task events name no state in AWS's history:
 * `stateOfEvent` (the engine's ExecutionHandle.stateOfEvent) attributes them exactly; without it each is attributed
 * to the state entered last (exact only for states that run one at a time).
 */
export async function analyze(
  definition: JsonObject,
  events: readonly HistoryEvent[],
  stateOfEvent?: (eventId: number) => string | undefined,
): Promise<ExecutionAnalysis> {
  const states = new Map<string, AslState>();
  forEachState(definition, (name, state) => states.set(name, state));
  const scopes = scopesOf(definition);
  const queryLanguage = definition.QueryLanguage;
  const variables: Record<string, Json> = {};
  const result: ExecutionAnalysis = {
    states: [],
    waits: [],
    attempts: [],
    covered: { states: [], transitions: [], retriers: [], catchers: [] },
  };
  const add = (kind: keyof CoveredElements, id: string) => {
    if (!result.covered[kind].includes(id)) result.covered[kind].push(id);
  };
  let entered: Visit | undefined;
  const lastInScope = new Map<string, Visit>();
  const latest = new Map<string, Visit>();
  const visitOf = (event: HistoryEvent): Visit | undefined => {
    const name = event.id === undefined ? undefined : stateOfEvent?.(event.id);
    return (name === undefined ? undefined : latest.get(name)) ?? entered;
  };

  for (const event of events) {
    const type = event.type ?? '';
    const at = timeOf(event);
    if (type.endsWith('StateEntered')) {
      const name = event.stateEnteredEventDetails?.name ?? '';
      result.states.push(name);
      add('states', name);
      const scope = scopes.get(name) ?? '';
      const previous = lastInScope.get(scope);
      if (previous) await recordTransition(previous, name, add, queryLanguage);
      entered = {
        name,
        state: states.get(name),
        input: parse(event.stateEnteredEventDetails?.input),
        variables: { ...variables },
        enteredAt: at,
        attempt: 0,
        exited: false,
      };
      lastInScope.set(scope, entered);
      latest.set(name, entered);
    } else if (type.endsWith('StateExited')) {
      const visit = latest.get(event.stateExitedEventDetails?.name ?? '');
      if (!visit) continue;
      visit.exited = true;
      for (const [key, value] of Object.entries(event.stateExitedEventDetails?.assignedVariables ?? {}))
        variables[key] = parse(value);
      if (visit.state?.Type === 'Wait')
        result.waits.push({ state: visit.name, seconds: (at - visit.enteredAt) / 1000 });
    } else if (type === 'MapStateFailed' || type === 'ParallelStateFailed') {
      const visit = visitOf(event);
      if (visit) visit.containerFailed = true;
    } else if (type === 'LambdaFunctionScheduled' || type === 'TaskScheduled') {
      const visit = visitOf(event);
      if (!visit) continue;
      if (visit.failure) {
        result.waits.push({ state: visit.name, seconds: (at - visit.failure.at) / 1000 });
        const index = firstMatching(retriersOf(visit.state ?? { Type: '' }), visit.failure.error);
        if (index >= 0) add('retriers', `${visit.name}.Retry[${index}]`);
        visit.failure = undefined;
      }
      visit.attempt += 1;
      visit.attemptStartedAt = at;
    } else if (type === 'LambdaFunctionSucceeded' || type === 'TaskSucceeded') {
      const visit = visitOf(event);
      if (visit) result.attempts.push({ state: visit.name, attempt: visit.attempt, outcome: 'SUCCEEDED' });
    } else if (FAILURES.has(type)) {
      const visit = visitOf(event);
      if (!visit) continue;
      const details = failureDetails(event);
      const error = timeoutError(type, details.error ?? '', visit, at);
      result.attempts.push({
        state: visit.name,
        attempt: visit.attempt,
        outcome: type.endsWith('TimedOut') ? 'TIMED_OUT' : 'FAILED',
        error: details.error ?? '',
        ...(details.cause === undefined ? {} : { cause: details.cause }),
      });
      visit.failure = { error, at };
      // A retrier with MaxAttempts 0 exists to stop retries of its errors: matching is all it ever does.
      const retriers = retriersOf(visit.state ?? { Type: '' });
      const index = firstMatching(retriers, error);
      if (index >= 0 && retriers[index]?.MaxAttempts === 0) add('retriers', `${visit.name}.Retry[${index}]`);
    }
  }
  return result;
}

/**
 * The error Retry and Catch saw: AWS records a heartbeat timeout as States.Timeout, but matches it as
 * States.HeartbeatTimeout too; it is one when it came before the state's TimeoutSeconds.
 */
function timeoutError(type: string, error: string, visit: Visit, at: number): string {
  const state = visit.state;
  if (!type.endsWith('TimedOut') || error !== 'States.Timeout' || typeof state?.HeartbeatSeconds !== 'number')
    return error;
  const timeout = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds * 1000 : Infinity;
  const started = visit.attemptStartedAt ?? visit.enteredAt;
  return at - started < timeout ? 'States.HeartbeatTimeout' : error;
}

/** The sub-machine each state belongs to: '' for the top level, `Parallel#1` for a branch, `Map#0` for a processor. */
function scopesOf(definition: JsonObject): Map<string, string> {
  const scopes = new Map<string, string>();
  const visit = (machine: JsonObject, scope: string) => {
    const machineStates = isObject(machine.States) ? machine.States : {};
    for (const [name, state] of Object.entries(machineStates)) {
      if (!isObject(state)) continue;
      scopes.set(name, scope);
      if (Array.isArray(state.Branches))
        state.Branches.forEach((branch, index) => {
          if (isObject(branch)) visit(branch, `${name}#${index}`);
        });
      const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : state.Iterator;
      if (isObject(processor)) visit(processor, `${name}#0`);
    }
  };
  visit(definition, '');
  return scopes;
}

/** The element that took `from` to the state `to`: its Next, a Choice rule or Default, or a catcher. */
async function recordTransition(
  from: Visit,
  to: string,
  add: (kind: keyof CoveredElements, id: string) => void,
  queryLanguage: Json | undefined,
): Promise<void> {
  const state = from.state;
  if (!state) return;
  if (from.failure || !from.exited || from.containerFailed) {
    // Failed: the first catcher whose ErrorEquals matches takes it (for a Parallel or Map, whose error the
    // history does not carry here, the first catcher leading to `to`).
    const catchers = catchersOf(state);
    const index = from.failure
      ? firstMatching(catchers, from.failure.error)
      : catchers.findIndex((catcher) => catcher.Next === to);
    const catcher = catchers[index];
    if (catcher?.Next !== to) return;
    add('catchers', `${from.name}.Catch[${index}]`);
    add('transitions', catchTransitionId(from.name, catcher, index));
    return;
  }
  if (state.Type === 'Choice') {
    const rule = await choiceTaken(state, from.input, from.variables, queryLanguage);
    if (rule !== undefined) add('transitions', transitionId(from.name, to, rule));
    return;
  }
  if (state.Next === to) add('transitions', transitionId(from.name, to, 'Next'));
}

function firstMatching(entries: JsonObject[], error: string): number {
  return entries.findIndex((entry) => errorMatches(errorEquals(entry), error, true));
}

/**
 * Which rule a Choice state took for `input` ("Choices[2]" or "Default"), decided by the engine's interpreter:
 * the state is run alone (after a Pass state restoring the variables it saw), each rule leading to a Pass state
 * that names it. Works for JSONPath rules and JSONata Conditions alike.
 */
async function choiceTaken(
  state: AslState,
  input: Json,
  variables: Record<string, Json>,
  queryLanguage: Json | undefined,
): Promise<string | undefined> {
  const choices = Array.isArray(state.Choices) ? state.Choices.filter(isObject) : [];
  const marker = (name: string): JsonObject => ({
    Type: 'Pass',
    QueryLanguage: 'JSONPath',
    Result: name,
    End: true,
  });
  const withoutEffects = ({ Assign: _assign, Output: _output, ...rest }: JsonObject): JsonObject => rest;
  const probe: JsonObject = {
    ...(queryLanguage === undefined ? {} : { QueryLanguage: queryLanguage }),
    StartAt: 'Variables',
    States: {
      Variables: { Type: 'Pass', QueryLanguage: 'JSONPath', Assign: variables, Next: 'Choice' },
      Choice: {
        ...withoutEffects(state),
        Choices: choices.map((rule, index) => ({ ...withoutEffects(rule), Next: `Rule${index}` })),
        ...(typeof state.Default === 'string' ? { Default: 'Default' } : {}),
      },
      Default: marker('Default'),
      ...Object.fromEntries(choices.map((_rule, index) => [`Rule${index}`, marker(`Choices[${index}]`)])),
    },
  };
  let taken: Json | undefined;
  await runMachine(probe, input, {
    context: {},
    handlers: {},
    onEvent: (event) => {
      if (event.type === 'ExecutionSucceeded') taken = event.output;
    },
  }).result;
  return typeof taken === 'string' ? taken : undefined;
}

function failureDetails(event: HistoryEvent): { error?: string; cause?: string } {
  return (
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails ??
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    {}
  );
}

function timeOf(event: HistoryEvent): number {
  return event.timestamp instanceof Date ? event.timestamp.getTime() : Number(event.timestamp ?? 0);
}

function parse(text: string | undefined): Json {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return null;
  }
}
