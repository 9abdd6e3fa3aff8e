// Lambda entry point for POST /items: reads configuration and wires the real adapters once per container.
import { randomUUID } from 'node:crypto';
import { SfnWorkflowStarter } from '../adapters/sfn/workflow-starter';
import { sfnClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeCreateItemHandler } from './http/create-item';

const config = readConfig(['STATE_MACHINE_ARN', 'RESPONSE_INCLUDES_EXECUTION_ARN']);

export const handler = makeCreateItemHandler({
  workflow: new SfnWorkflowStarter(sfnClient(), config.STATE_MACHINE_ARN),
  newItemId: () => `itm_${randomUUID()}`,
  responseIncludesExecutionArn: config.RESPONSE_INCLUDES_EXECUTION_ARN === 'true',
});
