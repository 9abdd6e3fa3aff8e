// Lambda entry point for GET /orders/{orderId}: reads configuration and wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeGetOrderHandler } from './http/get-order';

const config = readConfig(['ORDERS_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());

export const handler = makeGetOrderHandler({
  orders: new DynamoDbOrderStore(documentClient, config.ORDERS_TABLE),
});
