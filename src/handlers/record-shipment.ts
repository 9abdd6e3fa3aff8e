// Lambda entry point for the order workflow's RecordShipment state: wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeRecordShipmentHandler } from './tasks/record-shipment';

const config = readConfig(['ORDERS_TABLE']);

export const handler = makeRecordShipmentHandler({
  orders: new DynamoDbOrderStore(documentClientFor(dynamoDbClient()), config.ORDERS_TABLE),
});
