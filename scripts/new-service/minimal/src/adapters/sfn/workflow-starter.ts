import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Item } from '../../domain/item';
import type { WorkflowStarter } from '../../ports/workflow-starter';
import { asServiceUnavailable } from '../transient';

export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(item: Item): Promise<{ readonly executionArn: string }> {
    try {
      const { executionArn } = await this.client.send(
        // Named after the item: one execution per item, visible by id in the console and the history.
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: item.itemId,
          input: JSON.stringify(item),
        }),
      );
      return { executionArn: executionArn ?? '' };
    } catch (error) {
      throw asServiceUnavailable(error, `Could not start the workflow for item ${item.itemId}`);
    }
  }
}
