import type { Json, JsonObject } from '../../../stepfunctions/definition';
import { runMachine, type MachineEvent, type StateHandler } from '../../../stepfunctions/interpreter/run';

export interface Outcome {
  status: 'SUCCEEDED' | 'FAILED';
  output?: Json;
  error?: string;
  cause?: string;
  events: MachineEvent[];
}

/** Runs a definition on the interpreter alone; every Task echoes its input as `{ task: input }`, Waits return at once. */
export async function execute(definition: JsonObject, input: Json = {}): Promise<Outcome> {
  const events: MachineEvent[] = [];
  const handler: StateHandler = (taskInput) => Promise.resolve({ task: taskInput });
  const handlers = new Proxy<Record<string, StateHandler>>(
    {},
    {
      get: (_target, name) =>
        typeof name === 'string' && name.startsWith('Wait') ? (i: Json) => Promise.resolve(i) : handler,
    },
  );
  await runMachine(definition, input, {
    context: { Execution: { Name: 'exec-1' } },
    handlers,
    onEvent: (event) => events.push(event),
    describeError: (state, message) => `[${state}] ${message}`,
  }).result;
  const end = events.at(-1);
  if (end?.type === 'ExecutionSucceeded') return { status: 'SUCCEEDED', output: end.output, events };
  return { status: 'FAILED', error: end?.Error, cause: end?.Cause, events };
}
