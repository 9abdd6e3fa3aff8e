import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { Clock } from './clock';

export type { HistoryEvent };

/** The detail object of an event, without the key that names it (the recorder derives that from the type). */
export type EventDetails = Record<string, unknown>;

/**
 * Appends AWS GetExecutionHistory events: ids from 1, `previousEventId` chaining each event to the one
 * before it, timestamps from the execution's clock, details under AWS's key (`TaskStateEntered` ->
 * `stateEnteredEventDetails`, `LambdaFunctionFailed` -> `lambdaFunctionFailedEventDetails`, ...).
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onEvent: (event: HistoryEvent) => void = () => {},
  ) {}

  add(type: HistoryEventType, details?: EventDetails): HistoryEvent | undefined {
    if (this.closed) return undefined;
    const id = this.events.length + 1;
    const event: HistoryEvent = { id, previousEventId: id - 1, timestamp: new Date(this.clock.now()), type };
    if (details !== undefined) (event as unknown as Record<string, unknown>)[detailsKey(type)] = details;
    this.events.push(event);
    this.onEvent(event);
    return event;
  }

  /** After the terminal event nothing more is recorded (late events of aborted branches are dropped). */
  close(): void {
    this.closed = true;
  }

  /** The id of the latest `<Type>StateEntered` event of `stateName`, as AWS quotes it in runtime errors. */
  enteredEventId(stateName: string): number | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const event = this.events[i];
      if (event?.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name === stateName)
        return event.id;
    }
    return undefined;
  }
}

function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

/** AWS's `inputDetails`/`outputDetails`: the engine never truncates. */
export const NOT_TRUNCATED = { truncated: false } as const;

/** One concise log line for the events a person follows (transitions, task failures, the end), else undefined. */
export function describeEvent(event: HistoryEvent): string | undefined {
  const type = event.type ?? '';
  if (type.endsWith('StateEntered'))
    return `→ ${event.stateEnteredEventDetails?.name ?? '?'} (${type.replace('StateEntered', '')})`;
  const failure = event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails;
  if (failure) return `  ${type}: ${failure.error ?? ''} ${truncate(failure.cause ?? '')}`;
  if (type === 'ExecutionSucceeded') return 'SUCCEEDED';
  if (type === 'ExecutionFailed') {
    const details = event.executionFailedEventDetails;
    return `FAILED: ${details?.error ?? ''} ${truncate(details?.cause ?? '')}`;
  }
  if (type === 'ExecutionAborted') return 'ABORTED';
  if (type === 'ExecutionTimedOut') return 'TIMED_OUT';
  return undefined;
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
