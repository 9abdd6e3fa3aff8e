// Lambda entry point for the sandbox carrier's reports (the Tasks of statemachines/carrier.asl.json): wires the real
// adapters once.
import { DynamoDbSeenSignatures } from '../adapters/dynamodb/seen-signatures';
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { InProcessCarrierWebhook } from '../adapters/sandbox/in-process-webhook';
import { webhookSecretFromEnv } from '../adapters/secrets/webhook-secret';
import { SfnTaskCallbacks } from '../adapters/sfn/task-callbacks';
import { documentClientFor, dynamoDbClient, sfnClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeSandboxCarrierHandler } from './tasks/sandbox-carrier';

const config = readConfig(['SHIPMENTS_TABLE', 'WEBHOOK_SIGNATURES_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());
const webhookSecret = webhookSecretFromEnv();
const clock = () => new Date();

export const handler = makeSandboxCarrierHandler({
  // The carrier signs with the shared secret; the webhook it reaches verifies with the same one.
  webhook: new InProcessCarrierWebhook({
    shipments: new DynamoDbShipmentStore(documentClient, config.SHIPMENTS_TABLE),
    callbacks: new SfnTaskCallbacks(sfnClient()),
    seenSignatures: new DynamoDbSeenSignatures(documentClient, config.WEBHOOK_SIGNATURES_TABLE),
    webhookSecret,
    clock,
  }),
  webhookSecret,
  clock,
});
