// Lambda entry point for the sandbox carrier (invoked asynchronously by requestPickup): wires the real adapters once.
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDbSeenSignatures } from '../adapters/dynamodb/seen-signatures';
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { sandboxPickupPlan } from '../adapters/sandbox/carrier';
import { InProcessCarrierWebhook } from '../adapters/sandbox/in-process-webhook';
import { webhookSecretFromEnv } from '../adapters/secrets/webhook-secret';
import { SfnTaskCallbacks } from '../adapters/sfn/task-callbacks';
import { documentClientFor, dynamoDbClient, sfnClient } from '../shared/aws-clients';
import { readConfig, readSeconds } from '../shared/config';
import { makeSandboxCarrierHandler } from './tasks/sandbox-carrier';

const config = readConfig(['SHIPMENTS_TABLE', 'WEBHOOK_SIGNATURES_TABLE', 'SANDBOX_PICKUP_DELAY_SECONDS']);
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
  planFor: sandboxPickupPlan,
  sleep: async (milliseconds) => {
    await sleep(milliseconds);
  },
  // The function's timeout is 60 s (serverless.yml): the delay must leave it time to report.
  pickupDelaySeconds: readSeconds('SANDBOX_PICKUP_DELAY_SECONDS', config.SANDBOX_PICKUP_DELAY_SECONDS, 50),
});
