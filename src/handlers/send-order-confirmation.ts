// Lambda entry point for fulfilment's SendConfirmation state: wires the real adapters once per container.
import { DynamoDbOutboxNotifier } from '../adapters/dynamodb/outbox-notifier';
import { documentClientFor, tracedDynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeSendOrderConfirmationHandler } from './tasks/send-order-confirmation';

const config = readConfig(['OUTBOX_TABLE']);

export const handler = makeSendOrderConfirmationHandler({
  notifier: new DynamoDbOutboxNotifier(documentClientFor(tracedDynamoDbClient()), config.OUTBOX_TABLE),
});
