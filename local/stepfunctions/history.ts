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

  /** Continues a history recorded before a restart: its events stand as they were, new ids follow them. */
  seed(events: readonly HistoryEvent[]): void {
    this.events.push(...events);
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

/**
 * Returns a narrator for one execution: one concise log line for each event a person follows (transitions with
 * the time spent in the state, task failures, the end with the execution's duration), else undefined.
 */
export function eventNarrator(): (event: HistoryEvent) => string | undefined {
  const entered = new Map<string, number>();
  let startedAt: number | undefined;
  const since = (start: number | undefined, event: HistoryEvent) =>
    start === undefined ? '' : ` in ${formatDuration(timestampMs(event) - start)}`;
  return (event) => {
    const type = event.type ?? '';
    if (type === 'ExecutionStarted') startedAt = timestampMs(event);
    if (type.endsWith('StateEntered')) {
      const name = event.stateEnteredEventDetails?.name ?? '?';
      entered.set(name, timestampMs(event));
      return `→ ${name} (${type.replace('StateEntered', '')})`;
    }
    if (type.endsWith('StateExited')) {
      const name = event.stateExitedEventDetails?.name ?? '?';
      return `  ${name} done${since(entered.get(name), event)}`;
    }
    const failure = event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails;
    if (failure) return `  ${type}: ${failure.error ?? ''} ${truncate(failure.cause ?? '')}`;
    if (type === 'ExecutionSucceeded') return `SUCCEEDED${since(startedAt, event)}`;
    if (type === 'ExecutionFailed') {
      const details = event.executionFailedEventDetails;
      return `FAILED${since(startedAt, event)}: ${details?.error ?? ''} ${truncate(details?.cause ?? '')}`;
    }
    if (type === 'ExecutionAborted') return `ABORTED${since(startedAt, event)}`;
    if (type === 'ExecutionTimedOut') return `TIMED_OUT${since(startedAt, event)}`;
    return undefined;
  };
}

function timestampMs(event: HistoryEvent): number {
  return event.timestamp instanceof Date ? event.timestamp.getTime() : Number(event.timestamp ?? 0);
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
