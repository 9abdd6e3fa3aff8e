/** The interpreter's interface with the engine: the events it reports and the handlers it calls. */
import type { Json, JsonObject } from '../definition';

/** What the interpreter reports; the engine turns these into AWS history events. */
export interface MachineEvent {
  type:
    | 'StateEntered'
    | 'StateExited'
    | 'StateFailed'
    | 'StateRetried'
    | 'MapStarted'
    | 'MapIterationStarted'
    | 'MapIterationSucceeded'
    | 'MapIterationFailed'
    | 'ExecutionSucceeded'
    | 'ExecutionFailed';
  state?: {
    name: string;
    type: string;
    input: Json;
    output?: Json;
    /** Variables the state's (or its catcher's) Assign set. */
    assignedVariables?: Record<string, Json>;
  };
  parentState?: { name: string; type: string; input: Json };
  index?: number;
  /** MapStarted: the number of items. */
  length?: number;
  retry?: { attempt: number };
  output?: Json;
  Error?: string;
  Cause?: string;
}

/** What a handler learns besides the input: a Wait's wait from now, a Task's resolved timeouts. */
export interface HandlerDetails {
  waitMs?: number;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/** Runs a Task (with the Task's input) or waits for a Wait state. */
export type StateHandler = (input: Json, details?: HandlerDetails) => Promise<Json>;

export interface RunOptions {
  /** `$$` without State/Map (Execution, StateMachine, Task). Getters are kept. */
  context: JsonObject;
  handlers: Record<string, StateHandler>;
  onEvent: (event: MachineEvent) => void;
  /** AWS's cause of a failure while evaluating state `stateName` (adds the entered-event preamble). */
  describeError?: (stateName: string, message: string) => string;
  now?: () => number;
  /** Sleeps `ms` of the execution's time (Parallel/Map Retry intervals); default: real time. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface MachineRun {
  /** Settles once the execution has ended (its last event is reported) or was aborted. */
  result: Promise<void>;
  abort: () => void;
}
