import { ExecutionAlreadyExists, type SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflowStarter } from '../../../src/adapters/sfn/workflow-starter';
import { ServiceUnavailable } from '../../../src/domain/errors';
import type { WorkflowInput } from '../../../src/ports/workflow-starter';
import { ORDER_ID } from '../support/fixtures';
import { awsError } from '../support/fake-document-client';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:order-processing-test-order';
const input: WorkflowInput = {
  orderId: ORDER_ID,
  paymentMethod: 'pm_0123456789abcdef01234567',
};

function sfn(send: (command: { input: unknown }) => Promise<unknown>) {
  return { send } as unknown as SFNClient;
}

describe('SfnWorkflowStarter', () => {
  it('starts an execution named after the order with the order as input', async () => {
    const sent: unknown[] = [];
    const client = sfn((command) => {
      sent.push(command.input);
      return Promise.resolve({ executionArn: `${ARN}:${ORDER_ID}` });
    });

    const executionArn = await new SfnWorkflowStarter(client, ARN).start(input);

    expect(executionArn).toBe(`${ARN}:${ORDER_ID}`);
    expect(sent).toEqual([{ stateMachineArn: ARN, name: ORDER_ID, input: JSON.stringify(input) }]);
  });

  it('maps throttling to ServiceUnavailable', async () => {
    const client = sfn(() => Promise.reject(awsError('ThrottlingException')));

    await expect(new SfnWorkflowStarter(client, ARN).start(input)).rejects.toThrow(ServiceUnavailable);
  });

  it('answers with the existing execution when a retried start finds its own execution already ended', async () => {
    const client = sfn(() =>
      Promise.reject(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} })),
    );

    const executionArn = await new SfnWorkflowStarter(client, ARN).start(input);

    expect(executionArn).toBe(
      `arn:aws:states:us-east-1:123456789012:execution:order-processing-test-order:${ORDER_ID}`,
    );
  });
});
