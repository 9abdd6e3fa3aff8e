/**
 * One attempt of a Task through the service's invoker (`StartExecutionOptions.invokeTask`, the local Lambda for our
 * functions), under the Task's TimeoutSeconds.
 */
import type { Json } from './definition';
import { SETTLED } from './clock';
import type { TaskContext } from './execution-types';
import { StatesError } from './runtime-errors';
import type { TaskHost } from './task-host';

/** Calls the invoker once; rejects with States.Timeout past TimeoutSeconds, counted from when the function started. */
export async function invokeOnce(
  host: Pick<TaskHost, 'options' | 'clock' | 'signal'>,
  target: string,
  payload: Json,
  attempt: Pick<TaskContext, 'stateName' | 'attempt' | 'resource'>,
  timeoutSeconds?: number,
): Promise<Json> {
  const { invokeTask } = host.options;
  if (!invokeTask) {
    throw new StatesError(
      'States.TaskFailed',
      `No local invoker is configured for resource '${attempt.resource}' (state '${attempt.stateName}')`,
    );
  }
  const { clock } = host;
  const timedOut = () => new StatesError('States.Timeout', `Task timed out after ${timeoutSeconds} seconds`);
  const attemptAbort = new AbortController();
  const signal = AbortSignal.any([host.signal, attemptAbort.signal]);
  let rejectTimeout: (error: Error) => void = () => {};
  const timeout = new Promise<never>((_, reject) => (rejectTimeout = reject));
  // On a virtual clock a handler's own work takes no time: only its simulated sleeps count toward the deadline.
  const deadline =
    clock.virtual && timeoutSeconds !== undefined ? clock.now() + timeoutSeconds * 1000 : Infinity;
  const aborted = new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  const sleep = async (ms: number): Promise<void> => {
    const until = clock.now() + Math.max(0, ms);
    if (Number.isFinite(deadline) && until >= deadline) {
      await clock.sleep(deadline - clock.now(), signal);
      if (!signal.aborted) rejectTimeout(timedOut());
      // The function is still "running" when the attempt times out: it returns only once abandoned.
      await aborted;
    } else if (Number.isFinite(until)) {
      await clock.sleep(until - clock.now(), signal);
    } else {
      await aborted;
    }
  };
  // Task timeouts also run on real time: a Lambda's running time is not scaled.
  let timer: NodeJS.Timeout | undefined;
  const armTimeout = () => {
    clearTimeout(timer);
    if (timeoutSeconds !== undefined)
      timer = setTimeout(() => rejectTimeout(timedOut()), timeoutSeconds * 1000);
  };
  const context: TaskContext = {
    ...attempt,
    executionArn: host.options.executionArn,
    stateMachineArn: host.options.stateMachineArn,
    signal,
    sleep,
    started: armTimeout,
  };
  armTimeout();
  const call = Promise.resolve().then(() => invokeTask(target, payload, context));
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
    // Releases a hung (sleeping) invocation; its late result is ignored.
    attemptAbort.abort(SETTLED);
  }
}
