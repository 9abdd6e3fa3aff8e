import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionHandle, ExecutionStatus } from './engine';
import type { StoredExecution } from './store';

const END_STATUS: Record<string, Exclude<ExecutionStatus, 'RUNNING'>> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/** True when the history ends the execution (its last event is Execution{Succeeded,Failed,Aborted,TimedOut}). */
export function isEnded(events: readonly HistoryEvent[]): boolean {
  const last = events[events.length - 1];
  return last?.type !== undefined && last.type in END_STATUS;
}

/** The handle of an execution that ended before a restart: status, output and failure read from its history. */
export function endedRecord(execution: StoredExecution): ExecutionHandle {
  const last = execution.events[execution.events.length - 1];
  const failure =
    last?.executionFailedEventDetails ??
    last?.executionAbortedEventDetails ??
    last?.executionTimedOutEventDetails;
  return {
    events: execution.events,
    status: END_STATUS[last?.type ?? ''] ?? 'FAILED',
    ...(last?.executionSucceededEventDetails?.output !== undefined
      ? { output: last.executionSucceededEventDetails.output }
      : {}),
    ...(failure?.error !== undefined ? { error: failure.error } : {}),
    ...(failure?.cause !== undefined ? { cause: failure.cause } : {}),
    startDate: new Date(execution.startDate),
    stopDate: new Date(last?.timestamp ?? execution.startDate),
    done: Promise.resolve(),
    stop: () => {},
    suspend: () => {},
    stateOfEvent: () => undefined,
  };
}
