// Lambda entry point for POST /orders: reads configuration and wires the real adapters once per container.
import { DynamoDbIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { SfnWorkflowStarter } from '../adapters/sfn/workflow-starter';
import { newOrderId } from '../domain/order-id';
import { documentClientFor, dynamoDbClient, sfnClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeCreateOrderHandler } from './http/create-order';

const config = readConfig([
  'ORDERS_TABLE',
  'IDEMPOTENCY_TABLE',
  'STATE_MACHINE_ARN',
  'RESPONSE_INCLUDES_EXECUTION_ARN',
]);
const dynamoDb = dynamoDbClient();

export const handler = makeCreateOrderHandler({
  orders: new DynamoDbOrderStore(documentClientFor(dynamoDb), config.ORDERS_TABLE),
  workflow: new SfnWorkflowStarter(sfnClient(), config.STATE_MACHINE_ARN),
  idempotencyStore: new DynamoDbIdempotencyStore(dynamoDb, config.IDEMPOTENCY_TABLE),
  newOrderId: () => newOrderId(),
  clock: () => new Date(),
  responseIncludesExecutionArn: config.RESPONSE_INCLUDES_EXECUTION_ARN === 'true',
});
