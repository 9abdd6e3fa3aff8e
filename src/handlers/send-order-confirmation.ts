// Lambda entry point for fulfilment's SendConfirmation state: wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { DynamoDbOutboxNotifier } from '../adapters/dynamodb/outbox-notifier';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeSendOrderConfirmationHandler } from './tasks/send-order-confirmation';

const config = readConfig(['ORDERS_TABLE', 'OUTBOX_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());

export const handler = makeSendOrderConfirmationHandler({
  orders: new DynamoDbOrderStore(documentClient, config.ORDERS_TABLE),
  notifier: new DynamoDbOutboxNotifier(documentClient, config.OUTBOX_TABLE),
});
