/**
 * The execution's side of a Task state: all that task-runner.ts and the modules it calls may read or do in the
 * execution they run in. Kept this small so the Task code reads without the rest of engine.ts.
 */
import type { HistoryEventType } from '@aws-sdk/client-sfn';
import type { Clock } from './clock';
import type { EventDetails } from './history';
import type { ChildExecution, StartExecutionOptions } from './execution-types';
import type { TaskTokens } from './task-tokens';

export interface TaskHost {
  /** The execution's own options: its ARNs and the service's hooks (invoker, child executions, callbacks). */
  readonly options: Pick<
    StartExecutionOptions,
    'executionArn' | 'stateMachineArn' | 'invokeTask' | 'startChildExecution' | 'onTaskWaiting'
  >;
  /** Retry intervals, TimeoutSeconds and HeartbeatSeconds run on the execution's clock. */
  readonly clock: Clock;
  /** Aborts when the execution is stopped, times out or is suspended. */
  readonly signal: AbortSignal;
  /** Issues the token of each `.waitForTaskToken` attempt that did not get one from its Parameters. */
  readonly tokens: TaskTokens;
  /** Records a history event of the Task state `stateName` (see ExecutionHandle.stateOfEvent). */
  record(stateName: string, type: HistoryEventType, details?: EventDetails): void;
  log(line: string): void;
  /** Ends the execution with States.Timeout once a virtual clock has passed its TimeoutSeconds. */
  checkVirtualDeadline(): void;
  /** True once, for the resumed callback Task whose function had already run before the restart. */
  resumedSubmitted(stateName: string): boolean;
  /** Whether `stateName` is the state a resumed execution goes on with (its child execution may have started). */
  isResuming(stateName: string): boolean;
  /** The resumed state has taken what its resume point carried. */
  resumeTaken(): void;
  /** A `.sync` Task started `child`: stopping the execution stops the child too. */
  syncChildStarted(child: ChildExecution): void;
}
