import type { SFNClient } from '@aws-sdk/client-sfn';
import { SfnTaskCallbacks } from '../../../src/adapters/sfn/task-callbacks';
import { CallbackExpiredError, ServiceUnavailable } from '../../../src/domain/errors';
import { awsError } from '../support/fake-document-client';

function sfn(answer: () => Promise<unknown> = () => Promise.resolve({})) {
  const sent: { name: string; input: unknown }[] = [];
  const client = {
    send: (command: { constructor: { name: string }; input: unknown }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return answer();
    },
  } as unknown as SFNClient;
  return { callbacks: new SfnTaskCallbacks(client), sent };
}

describe('SfnTaskCallbacks', () => {
  it('sends SendTaskSuccess with the output as JSON, SendTaskFailure and SendTaskHeartbeat', async () => {
    const { callbacks, sent } = sfn();

    await callbacks.succeed('t1', { pickedUpAt: 'now' });
    await callbacks.fail('t2', 'PickupFailedError', 'gate closed');
    await callbacks.heartbeat('t3');

    expect(sent).toEqual([
      { name: 'SendTaskSuccessCommand', input: { taskToken: 't1', output: '{"pickedUpAt":"now"}' } },
      {
        name: 'SendTaskFailureCommand',
        input: { taskToken: 't2', error: 'PickupFailedError', cause: 'gate closed' },
      },
      { name: 'SendTaskHeartbeatCommand', input: { taskToken: 't3' } },
    ]);
  });

  it.each(['TaskTimedOut', 'TaskDoesNotExist'])(
    'turns %s into CallbackExpiredError: the workflow no longer waits',
    async (name) => {
      const { callbacks } = sfn(() => Promise.reject(awsError(name)));

      await expect(callbacks.succeed('t', {})).rejects.toThrow(CallbackExpiredError);
    },
  );

  it('maps throttling to ServiceUnavailable and passes InvalidToken through', async () => {
    await expect(
      sfn(() => Promise.reject(awsError('ThrottlingException'))).callbacks.heartbeat('t'),
    ).rejects.toThrow(ServiceUnavailable);
    await expect(
      sfn(() => Promise.reject(awsError('InvalidToken'))).callbacks.heartbeat('t'),
    ).rejects.toThrow('InvalidToken happened');
  });
});
