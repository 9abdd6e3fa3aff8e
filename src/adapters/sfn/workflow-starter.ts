import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowInput, WorkflowStarter } from '../../ports/workflow-starter';
import { callAws } from '../aws/errors';

/** Starts the order state machine; the execution name is the order id (one execution per order). */
export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: WorkflowInput): Promise<string> {
    try {
      const result = await callAws('Step Functions StartExecution', () =>
        this.client.send(
          new StartExecutionCommand({
            stateMachineArn: this.stateMachineArn,
            name: input.orderId,
            input: JSON.stringify(input),
          }),
        ),
      );
      if (!result.executionArn) throw new Error('StartExecution returned no executionArn');
      return result.executionArn;
    } catch (error) {
      // Order ids are unique and never reused, so an execution of this name can only be ours: the SDK retried a
      // StartExecution whose first answer was lost, after that execution had already ended.
      if (error instanceof ExecutionAlreadyExists) return this.executionArnOf(input.orderId);
      throw error;
    }
  }

  private executionArnOf(name: string): string {
    const [prefix, machine] = this.stateMachineArn.split(':stateMachine:');
    return `${prefix}:execution:${machine}:${name}`;
  }
}
