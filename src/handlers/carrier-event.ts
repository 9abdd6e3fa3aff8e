// Lambda entry point for POST /shipments/{shipmentId}/events (the carrier's webhook): wires the real adapters once.
import { DynamoDbSeenSignatures } from '../adapters/dynamodb/seen-signatures';
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { webhookSecretFromEnv } from '../adapters/secrets/webhook-secret';
import { SfnTaskCallbacks } from '../adapters/sfn/task-callbacks';
import { documentClientFor, dynamoDbClient, sfnClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeCarrierEventHandler } from './http/carrier-event';

const config = readConfig(['SHIPMENTS_TABLE', 'WEBHOOK_SIGNATURES_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());

export const handler = makeCarrierEventHandler({
  shipments: new DynamoDbShipmentStore(documentClient, config.SHIPMENTS_TABLE),
  callbacks: new SfnTaskCallbacks(sfnClient()),
  seenSignatures: new DynamoDbSeenSignatures(documentClient, config.WEBHOOK_SIGNATURES_TABLE),
  webhookSecret: webhookSecretFromEnv(),
  clock: () => new Date(),
});
