import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import {
  forEachState,
  isObject,
  type AslState,
  type Json,
  type JsonObject,
} from '../../../local/stepfunctions/definition';
import { errorMatches } from '../../../local/stepfunctions/retry';
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
  enteredAt: number;
  attempt: number;
  exited: boolean;
  /** The last attempt's failure, until a retry starts. */
  failure?: { error: string; at: number };
}

/**
 * Reads the states entered, the waits, the Task attempts and the covered elements from the history.
 * Task events name no state, so each is attributed to the state entered last: exact for machines whose
 * states run one at a time (the order workflow); inside concurrent Parallel branches or Map iterations,
 * attempts and transitions may be attributed to the wrong sibling.
 */
export async function analyze(
  definition: JsonObject,
  events: readonly HistoryEvent[],
): Promise<ExecutionAnalysis> {
  const states = new Map<string, AslState>();
  forEachState(definition, (name, state) => states.set(name, state));
  const result: ExecutionAnalysis = {
    states: [],
    waits: [],
    attempts: [],
    covered: { states: [], transitions: [], retriers: [], catchers: [] },
  };
  const add = (kind: keyof CoveredElements, id: string) => {
    if (!result.covered[kind].includes(id)) result.covered[kind].push(id);
  };
  let visit: Visit | undefined;

  for (const event of events) {
    const type = event.type ?? '';
    const at = timeOf(event);
    if (type.endsWith('StateEntered')) {
      const name = event.stateEnteredEventDetails?.name ?? '';
      result.states.push(name);
      add('states', name);
      if (visit) await recordTransition(visit, name, add);
      visit = {
        name,
        state: states.get(name),
        input: parse(event.stateEnteredEventDetails?.input),
        enteredAt: at,
        attempt: 0,
        exited: false,
      };
    } else if (type.endsWith('StateExited') && visit && visit.name === event.stateExitedEventDetails?.name) {
      visit.exited = true;
      if (visit.state?.Type === 'Wait')
        result.waits.push({ state: visit.name, seconds: (at - visit.enteredAt) / 1000 });
    } else if ((type === 'LambdaFunctionScheduled' || type === 'TaskScheduled') && visit) {
      if (visit.failure) {
        result.waits.push({ state: visit.name, seconds: (at - visit.failure.at) / 1000 });
        const index = firstMatching(retriersOf(visit.state ?? { Type: '' }), visit.failure.error);
        if (index >= 0) add('retriers', `${visit.name}.Retry[${index}]`);
        visit.failure = undefined;
      }
      visit.attempt += 1;
    } else if ((type === 'LambdaFunctionSucceeded' || type === 'TaskSucceeded') && visit) {
      result.attempts.push({ state: visit.name, attempt: visit.attempt, outcome: 'SUCCEEDED' });
    } else if (FAILURES.has(type) && visit) {
      const details = failureDetails(event);
      const error = details.error ?? '';
      result.attempts.push({
        state: visit.name,
        attempt: visit.attempt,
        outcome: type.endsWith('TimedOut') ? 'TIMED_OUT' : 'FAILED',
        error,
        ...(details.cause === undefined ? {} : { cause: details.cause }),
      });
      visit.failure = { error, at };
    }
  }
  return result;
}

/** The element that took `from` to the state `to`: its Next, a Choice rule or Default, or a catcher. */
async function recordTransition(
  from: Visit,
  to: string,
  add: (kind: keyof CoveredElements, id: string) => void,
): Promise<void> {
  const state = from.state;
  if (!state) return;
  if (from.failure || !from.exited) {
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
    const rule = await choiceTaken(state, from.input);
    if (rule !== undefined) add('transitions', transitionId(from.name, to, rule));
    return;
  }
  if (state.Next === to) add('transitions', transitionId(from.name, to, 'Next'));
}

function firstMatching(entries: JsonObject[], error: string): number {
  return entries.findIndex((entry) => errorMatches(errorEquals(entry), error, true));
}

/**
 * Which rule a Choice state took for `input` ("Choices[2]" or "Default"), decided by aws-local-stepfunctions
 * itself: the state is run alone with each rule leading to a Pass state that names it.
 */
async function choiceTaken(state: AslState, input: Json): Promise<string | undefined> {
  const choices = Array.isArray(state.Choices) ? state.Choices.filter(isObject) : [];
  const probe: JsonObject = {
    StartAt: 'Choice',
    States: {
      Choice: {
        ...state,
        Choices: choices.map((rule, index) => ({ ...rule, Next: `Rule${index}` })),
        ...(typeof state.Default === 'string' ? { Default: 'Default' } : {}),
      },
      Default: { Type: 'Pass', Result: 'Default', End: true },
      ...Object.fromEntries(
        choices.map((_rule, index) => [
          `Rule${index}`,
          { Type: 'Pass', Result: `Choices[${index}]`, End: true },
        ]),
      ),
    },
  };
  try {
    const machine = new StateMachine(probe as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    const taken: unknown = await machine.run(input).result;
    return typeof taken === 'string' ? taken : undefined;
  } catch {
    return undefined;
  }
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
