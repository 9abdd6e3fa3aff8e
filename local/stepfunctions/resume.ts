/**
 * Resuming an execution after the local Step Functions service restarted: where it was (from its persisted
 * history), and a definition that takes it there. Granularity is the top-level state: a Wait resumes with its
 * remaining time, a callback Task keeps its token (and does not run its function again once it was submitted), any
 * other state runs again from its input — at least once, as Lambda retries are (our handlers are idempotent).
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { isObject, type AslState, type Json, type JsonObject } from './definition';

/** Where a resumed execution goes on. */
export interface ResumePoint {
  /** The persisted history; new events continue after it. */
  events: HistoryEvent[];
  startDate: Date;
  /** The top-level state to enter again, and its input. */
  stateName: string;
  input: Json;
  /** When the state was entered before the restart (epoch ms): a Wait counts its remaining time from here. */
  enteredAt?: number;
  /** A `.waitForTaskToken` Task's token issued before the restart: issued again, so callers' copies stay valid. */
  token?: string;
  /** That Task's function already ran (TaskSubmitted): only its token is awaited. */
  submitted?: boolean;
  /** The execution's variables as of that state's entry (its top-level states' assignedVariables, in order). */
  variables?: Record<string, Json>;
}

/** The pseudo state that carries a resumed execution to its state (never recorded in the history). */
export const RESUME_STATE = '__LocalResume__';

/** Where an execution that was RUNNING goes on, from its history; undefined if it never entered a state. */
export function findResumePoint(
  definition: JsonObject,
  events: HistoryEvent[],
  executionArn: string,
  /** The input StartExecution received: the resume input when the service stopped before the first event was kept. */
  executionInput: Json = {},
): ResumePoint | undefined {
  const states = isObject(definition.States) ? (definition.States as Record<string, AslState>) : {};
  const started = events.find((event) => event.type === 'ExecutionStarted');
  const variables: Record<string, Json> = {};
  const startDate = new Date(started?.timestamp ?? Date.now());
  let last: { index: number; name: string; input: Json; enteredAt: number } | undefined;
  events.forEach((event, index) => {
    const assigned = event.stateExitedEventDetails?.assignedVariables;
    if (assigned && (event.stateExitedEventDetails?.name ?? '') in states) {
      for (const [name, text] of Object.entries(assigned)) variables[name] = JSON.parse(text) as Json;
    }
    const details = event.stateEnteredEventDetails;
    if (event.type?.endsWith('StateEntered') && details?.name && details.name in states) {
      last = {
        index,
        name: details.name,
        input: JSON.parse(details.input ?? 'null') as Json,
        enteredAt: new Date(event.timestamp ?? Date.now()).getTime(),
      };
    }
  });
  const withVariables = Object.keys(variables).length > 0 ? { variables } : {};
  if (!last) {
    const recorded = started?.executionStartedEventDetails?.input;
    const input = recorded === undefined ? executionInput : (JSON.parse(recorded) as Json);
    const startAt = typeof definition.StartAt === 'string' ? definition.StartAt : '';
    return { events, startDate, stateName: startAt, input };
  }
  const after = events.slice(last.index + 1);
  const exited = after.find(
    (event) => event.type?.endsWith('StateExited') && event.stateExitedEventDetails?.name === last?.name,
  );
  const state = states[last.name];
  if (exited && state && typeof state.Next === 'string') {
    // Left the state but never entered the next one: go on from there with the state's output.
    const output = JSON.parse(exited.stateExitedEventDetails?.output ?? 'null') as Json;
    return { events, startDate, stateName: state.Next, input: output, ...withVariables };
  }
  const scheduled = after.filter((event) => event.type === 'TaskScheduled').pop();
  const token = scheduled
    ? tokenIn(scheduled.taskScheduledEventDetails?.parameters, executionArn)
    : undefined;
  return {
    events,
    startDate,
    stateName: last.name,
    input: last.input,
    enteredAt: last.enteredAt,
    ...withVariables,
    ...(token ? { token, submitted: after.some((event) => event.type === 'TaskSubmitted') } : {}),
  };
}

/** The task token of `executionArn` among the strings of a TaskScheduled event's parameters. */
function tokenIn(parameters: string | undefined, executionArn: string): string | undefined {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === 'string' && value.startsWith('AQB')) found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) Object.values(value).forEach(visit);
  };
  visit(JSON.parse(parameters ?? 'null'));
  return found.find((candidate) => {
    try {
      const payload = JSON.parse(Buffer.from(candidate.slice(3), 'base64url').toString('utf8')) as {
        e?: string;
      };
      return payload.e === executionArn;
    } catch {
      return false;
    }
  });
}

/**
 * The definition with a first Pass state that hands `resume.input` to the state to resume and assigns the variables
 * the execution had. It is a JSONPath state whatever the machine's language, so the saved values are taken as they
 * are (a JSONata Output would evaluate a saved "{% ... %}" string).
 */
export function resumeDefinition(definition: JsonObject, resume: ResumePoint): JsonObject {
  const states = isObject(definition.States) ? definition.States : {};
  const pass: JsonObject = {
    Type: 'Pass',
    QueryLanguage: 'JSONPath',
    Result: resume.input,
    ...(resume.variables ? { Assign: resume.variables } : {}),
    Next: resume.stateName,
  };
  return { ...definition, StartAt: RESUME_STATE, States: { [RESUME_STATE]: pass, ...states } };
}
