import type { InvokeTask, Json } from '../stepfunctions/engine';
import { StatesError } from '../stepfunctions/runtime-errors';
import { functionName } from '../stepfunctions/lambda-invoker';
import { FunctionNotFoundError, TooManyRequestsError, type LambdaPool } from './pool';

/**
 * Runs the local Step Functions service's Lambda Tasks on the pool in the same process, as Step Functions invokes
 * Lambda: a function error becomes an error named by errorType whose cause is the payload text; a refused or
 * unknown invocation becomes `Lambda.<Exception>`. The Task's TimeoutSeconds starts when the function starts.
 */
export function poolTaskInvoker(pool: LambdaPool): InvokeTask {
  return async (target, input, context) => {
    let outcome;
    try {
      outcome = await pool.invoke(functionName(target), input, { onStarted: () => context.started() });
    } catch (error) {
      if (error instanceof TooManyRequestsError || error instanceof FunctionNotFoundError) {
        throw new StatesError(`Lambda.${error.name}`, error.message);
      }
      throw error;
    }
    if (!outcome.ok) throw new StatesError(outcome.error.errorType, JSON.stringify(outcome.error));
    return outcome.result as Json;
  };
}
