/**
 * The engine's Task TimeoutSeconds on a virtual clock (added for the kit's 'timeout' fault): an invoker that
 * simulates running time with context.sleep is timed out at the deadline of the clock, without real waiting,
 * while real work (which takes no virtual time) is never cut short.
 */
import { startExecution, VirtualClock, type InvokeTask, type Json } from '../../stepfunctions/engine';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:work';

function machine(retryOnTimeout: boolean): Record<string, Json> {
  return {
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: ARN,
        TimeoutSeconds: 30,
        ...(retryOnTimeout
          ? { Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 5, MaxAttempts: 1 }] }
          : {}),
        End: true,
      },
    },
  };
}

async function run(definition: Record<string, Json>, invokeTask: InvokeTask) {
  const execution = startExecution({
    definition,
    input: {},
    name: 'timeout-test',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:t',
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:t:timeout-test',
    invokeTask,
    clock: new VirtualClock(Date.UTC(2024, 0, 1)),
  });
  await execution.done;
  const at = (type: string) =>
    execution.events.filter((e) => e.type === type).map((e) => e.timestamp!.getTime() - Date.UTC(2024, 0, 1));
  return { execution, at };
}

describe('Task TimeoutSeconds on a virtual clock', () => {
  it('times out a hanging attempt at the deadline, retries it, and lets a fast enough attempt finish', async () => {
    const invoke: InvokeTask = async (_target, _input, context) => {
      await context.sleep(context.attempt === 1 ? Infinity : 29_000);
      return { attempt: context.attempt };
    };

    const { execution, at } = await run(machine(true), invoke);

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toBe('{"attempt":2}');
    expect(at('LambdaFunctionStarted')).toEqual([0, 35_000]);
    expect(at('LambdaFunctionTimedOut')).toEqual([30_000]);
    expect(at('LambdaFunctionSucceeded')).toEqual([64_000]);
    expect(
      execution.events.find((e) => e.type === 'LambdaFunctionTimedOut')?.lambdaFunctionTimedOutEventDetails,
    ).toEqual({
      error: 'States.Timeout',
      cause: 'Task timed out after 30 seconds',
    });
  });

  it('fails the execution with States.Timeout when the timeout is not retried, and releases the hung call', async () => {
    let released = false;
    const invoke: InvokeTask = async (_target, _input, context) => {
      await context.sleep(Infinity);
      released = context.signal.aborted;
      return null;
    };

    const { execution, at } = await run(machine(false), invoke);
    await new Promise((resolve) => setImmediate(resolve));

    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(at('ExecutionFailed')).toEqual([30_000]);
    expect(released).toBe(true);
  });

  it('does not time out real work, which takes no virtual time', async () => {
    const invoke: InvokeTask = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'done';
    };

    const { execution, at } = await run(machine(false), invoke);

    expect(execution.status).toBe('SUCCEEDED');
    expect(at('LambdaFunctionSucceeded')).toEqual([0]);
  });
});
