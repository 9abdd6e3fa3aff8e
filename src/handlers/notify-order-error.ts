// Lambda entry point for the NotifyOrderError state: wires the real adapters once per container.
import { DynamoDbOutboxNotifier } from '../adapters/dynamodb/outbox-notifier';
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeNotifyOrderErrorHandler } from './tasks/notify-order-error';

const config = readConfig(['ORDERS_TABLE', 'OUTBOX_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());

export const handler = makeNotifyOrderErrorHandler({
  orders: new DynamoDbOrderStore(documentClient, config.ORDERS_TABLE),
  notifier: new DynamoDbOutboxNotifier(documentClient, config.OUTBOX_TABLE),
});
