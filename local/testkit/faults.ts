import type { TaskContext } from '../stepfunctions/engine';
import { LambdaFunctionError } from './lambda';

/**
 * What happens instead of calling the handler on one attempt:
 * - an Error: the function throws it (Step Functions sees its name and the Lambda error JSON as Cause);
 * - 'timeout': the function hangs, so the Task's TimeoutSeconds fires as States.Timeout (on the fake clock);
 * - 'Lambda.<Exception>' (e.g. 'Lambda.ServiceException'): the Lambda service itself fails the invocation;
 * - any other string: the function throws an error of that name.
 */
export type Fault = Error | 'timeout' | `Lambda.${string}` | (string & {});

/** Faults of one Task state by attempt (1 = first attempt of a visit, 2 = first retry...); '*' = every attempt. */
export type TaskFaults = { [attempt: number]: Fault } & { '*'?: Fault };

/** Faults by Task state name: `{ ProcessPayment: { 1: 'ServiceUnavailable' }, ShipOrder: { 1: 'timeout' } }`. */
export type Faults = Record<string, TaskFaults>;

/** The fault planned for this attempt, if any. */
export function faultFor(
  faults: Faults,
  context: Pick<TaskContext, 'stateName' | 'attempt'>,
): Fault | undefined {
  const planned = faults[context.stateName];
  return planned?.[context.attempt] ?? planned?.['*'];
}

/** An error raised by the Lambda service rather than the function: Cause is a plain message, as on AWS. */
export class LambdaServiceError extends Error {
  constructor(name: string, attempt: number) {
    const code = name.slice('Lambda.'.length);
    const status = code === 'TooManyRequestsException' ? 429 : 500;
    super(`${code}: injected by the workflow test kit on attempt ${attempt}`, {
      cause: `${code} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; injected on attempt ${attempt})`,
    });
    this.name = name;
  }
}

/** Acts out a fault: never returns normally (a timeout hangs until the engine gives up on the attempt). */
export async function actOut(fault: Fault, context: TaskContext): Promise<never> {
  if (fault instanceof Error) throw new LambdaFunctionError(fault);
  if (fault === 'timeout') {
    await context.sleep(Infinity);
    throw new Error(`${context.stateName} attempt ${context.attempt} was released after its timeout`);
  }
  if (fault.startsWith('Lambda.')) throw new LambdaServiceError(fault, context.attempt);
  const error = new Error(`${fault} injected by the workflow test kit on attempt ${context.attempt}`);
  error.name = fault;
  throw new LambdaFunctionError(error);
}
