/**
 * Turns the interpreter's events, as they happen, into AWS GetExecutionHistory events: state entered/exited,
 * Map and Parallel lifecycle, EvaluationFailed, and the execution's end with Error and Cause as AWS reports them.
 * Task attempts record their own events (task-runner.ts).
 */
import type { HistoryEventType } from '@aws-sdk/client-sfn';
import type { AslState, Json } from './definition';
import type { ExecutionStatus } from './execution-types';
import { NOT_TRUNCATED, type EventDetails, type HistoryRecorder } from './history';
import type { MachineEvent } from './interpreter/run';
import { RESUME_STATE } from './resume';
import { describeRuntimeError, runtimeCause } from './runtime-errors';

/** What the mapping needs of the execution. */
export interface MachineEventsHost {
  readonly recorder: HistoryRecorder;
  /** Every state of the definition, by name (Parallel branches and Map processors included). */
  readonly states: ReadonlyMap<string, AslState>;
  /** Records an event of the Map/Parallel state `stateName` (see ExecutionHandle.stateOfEvent). */
  record(stateName: string, type: HistoryEventType, details?: EventDetails): void;
  log(line: string): void;
  /** Ends the execution as the interpreter reported it. */
  finish(
    status: Extract<ExecutionStatus, 'SUCCEEDED' | 'FAILED'>,
    result: { output?: Json; error?: string; cause?: string },
  ): void;
}

/** The history side of one execution's interpreter run; `consume` is the interpreter's onEvent. */
export class MachineEvents {
  private lastFailedState?: { name: string; input: Json };
  private readonly mapsStarted = new Set<string>();
  /** Map/Parallel states whose failure was reported and not yet retried (a Catch then exits them). */
  private readonly failedContainers = new Set<string>();

  constructor(private readonly host: MachineEventsHost) {}

  /** Maps the interpreter's events, as they happen, to AWS history events. */
  consume(event: MachineEvent): void {
    if (event.state?.name === RESUME_STATE) return;
    const state = event.state ? this.host.states.get(event.state.name) : undefined;
    const type = state?.Type ?? event.state?.type ?? '';
    switch (event.type) {
      case 'StateEntered':
        if (!event.state) break;
        this.host.recorder.add(`${type}StateEntered` as never, {
          name: event.state.name,
          input: JSON.stringify(event.state.input),
          inputDetails: NOT_TRUNCATED,
        });
        if (type === 'Parallel') this.host.recorder.add('ParallelStateStarted');
        break;
      case 'StateExited': {
        if (!event.state) break;
        // A caught Map/Parallel failure exits the state after <Type>StateFailed, without <Type>StateSucceeded.
        const caught = this.failedContainers.delete(event.state.name);
        if (type === 'Parallel' && !caught) this.host.record(event.state.name, 'ParallelStateSucceeded');
        if (type === 'Map') {
          if (!caught) this.host.record(event.state.name, 'MapStateSucceeded');
        }
        this.mapsStarted.delete(event.state.name);
        if (type !== 'Fail') {
          const assigned = event.state.assignedVariables;
          this.host.recorder.add(`${type}StateExited` as never, {
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
          this.host.recorder.add('EvaluationFailed', {
            error: event.Error,
            ...(event.Cause === undefined ? {} : { cause: event.Cause }),
            state: event.state.name,
          });
        }
        if (type === 'Parallel' || type === 'Map') {
          this.failedContainers.add(event.state.name);
          this.host.record(event.state.name, `${type}StateFailed`);
        }
        break;
      case 'StateRetried':
        if (event.state) this.failedContainers.delete(event.state.name);
        this.host.log(`  retrying ${event.state?.name ?? '?'} (attempt ${(event.retry?.attempt ?? 0) + 1})`);
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        if (!event.parentState) break;
        this.host.recorder.add(event.type, { name: event.parentState.name, index: event.index });
        break;
      case 'MapStarted':
        if (event.state) this.mapStarted(event.state.name, event.length ?? 0);
        break;
      case 'ExecutionSucceeded':
        this.host.finish('SUCCEEDED', { output: event.output ?? null });
        break;
      case 'ExecutionFailed':
        this.host.finish('FAILED', this.describeFailure(event.Error ?? 'States.Runtime', event.Cause));
        break;
      default:
        break;
    }
  }

  /** MapStateStarted, once per Map state visit, with the number of items the interpreter resolved. */
  private mapStarted(name: string, length: number): void {
    if (this.mapsStarted.has(name)) return;
    this.mapsStarted.add(name);
    this.host.recorder.add('MapStateStarted', { length });
  }

  /** Error and Cause as AWS reports them, from what the interpreter reported. */
  private describeFailure(error: string, rawCause: unknown): { error?: string; cause?: string } {
    let cause =
      typeof rawCause === 'string' ? rawCause : rawCause === undefined ? undefined : JSON.stringify(rawCause);
    const failed = this.lastFailedState;
    const failedState = failed ? this.host.states.get(failed.name) : undefined;
    if (
      error === 'States.Runtime' &&
      failed &&
      failedState &&
      cause !== undefined &&
      !cause.startsWith('An error occurred')
    ) {
      cause = runtimeCause(
        failed.name,
        this.host.recorder.enteredEventId(failed.name),
        describeRuntimeError(failedState, cause, failed.input),
      );
    }
    return { error, cause };
  }
}
