import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { CallbackExpiredError } from '../../domain/errors';
import type { TaskCallbacks } from '../../ports/task-callbacks';
import { callAws, errorName } from '../aws/errors';

// What Step Functions answers for a token it no longer waits on: the task timed out, or was completed already.
const EXPIRED = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

/** Completes task tokens through the Step Functions API (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat). */
export class SfnTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    return this.send('SendTaskSuccess', () =>
      this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  fail(taskToken: string, error: string, cause: string): Promise<void> {
    return this.send('SendTaskFailure', () =>
      this.client.send(new SendTaskFailureCommand({ taskToken, error, cause })),
    );
  }

  heartbeat(taskToken: string): Promise<void> {
    return this.send('SendTaskHeartbeat', () =>
      this.client.send(new SendTaskHeartbeatCommand({ taskToken })),
    );
  }

  private async send(action: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await callAws(`Step Functions ${action}`, call);
    } catch (error) {
      const name = errorName(error);
      if (name !== undefined && EXPIRED.has(name)) {
        throw new CallbackExpiredError(`The workflow no longer waits for this callback (${name})`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
