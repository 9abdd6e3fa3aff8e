/**
 * Waiting on something outside a Task (SendTaskSuccess/Failure of a `.waitForTaskToken` token, the end of a `.sync`
 * child execution) under the Task's TimeoutSeconds and HeartbeatSeconds, on the execution's clock.
 */
import type { Json } from './definition';
import { SETTLED } from './clock';
import { StatesError } from './runtime-errors';
import type { TaskHost } from './task-host';
import type { CallbackTask } from './task-tokens';

/** Waits for SendTaskSuccess/SendTaskFailure of `callback`, under TimeoutSeconds and HeartbeatSeconds. */
export async function awaitCallback(
  host: Pick<TaskHost, 'options' | 'clock' | 'signal'>,
  callback: CallbackTask,
  task: {
    attempt: number;
    input: Json;
    startedAt: number;
    timeoutSeconds?: number;
    heartbeatSeconds?: number;
  },
): Promise<Json> {
  await host.options.onTaskWaiting?.({
    token: callback.token,
    stateName: callback.stateName,
    executionArn: host.options.executionArn,
    attempt: task.attempt,
    input: task.input,
    ...(task.timeoutSeconds === undefined ? {} : { timeoutSeconds: task.timeoutSeconds }),
    ...(task.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: task.heartbeatSeconds }),
  });
  const outcome = await withTimers(
    host,
    callback.outcome,
    task.startedAt,
    task.timeoutSeconds,
    task.heartbeatSeconds,
    callback,
  );
  callback.close();
  if (outcome.kind === 'failure') throw new StatesError(outcome.error ?? '', outcome.cause ?? '');
  return outcome.output;
}

/**
 * Races `work` against TimeoutSeconds (from `startedAt`) and HeartbeatSeconds (restarted by each heartbeat of
 * `callback`), both on the execution's clock; rejects with States.Timeout or States.HeartbeatTimeout.
 */
export async function withTimers<T>(
  host: Pick<TaskHost, 'clock' | 'signal'>,
  work: Promise<T>,
  startedAt: number,
  timeoutSeconds?: number,
  heartbeatSeconds?: number,
  callback?: CallbackTask,
): Promise<T> {
  const { clock } = host;
  const finished = new AbortController();
  const signal = AbortSignal.any([finished.signal, host.signal]);
  const timers: Promise<never>[] = [];
  const expire = async (ms: number, timerSignal: AbortSignal, error: string): Promise<void> => {
    await clock.sleep(Math.max(0, ms), timerSignal, { passive: true });
    if (timerSignal.aborted) return;
    // Cancels the other timer at once: a virtual clock must not move on to it while this one is reported.
    finished.abort(SETTLED);
    throw new StatesError(error, '');
  };
  if (timeoutSeconds !== undefined) {
    timers.push(
      expire(timeoutSeconds * 1000 - (clock.now() - startedAt), signal, 'States.Timeout').then(
        () => new Promise<never>(() => {}),
      ),
    );
  }
  if (heartbeatSeconds !== undefined) {
    timers.push(
      new Promise<never>((_, reject) => {
        let beat = new AbortController();
        const arm = (ms: number) => {
          const current = AbortSignal.any([beat.signal, signal]);
          expire(ms, current, 'States.HeartbeatTimeout').catch(reject);
        };
        callback?.onHeartbeat(() => {
          beat.abort(SETTLED);
          beat = new AbortController();
          arm(heartbeatSeconds * 1000);
        });
        arm(heartbeatSeconds * 1000 - (clock.now() - startedAt));
      }),
    );
  }
  const aborted = new Promise<never>((_, reject) =>
    host.signal.addEventListener(
      'abort',
      () => reject(new StatesError('States.Aborted', 'The execution was stopped')),
      { once: true },
    ),
  );
  try {
    return await Promise.race([work, aborted, ...timers]);
  } finally {
    finished.abort(SETTLED);
  }
}
