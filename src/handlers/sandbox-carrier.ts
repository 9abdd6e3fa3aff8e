// Lambda entry point for the sandbox carrier (invoked asynchronously by requestPickup): wires the real adapters once.
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { SfnTaskCallbacks } from '../adapters/sfn/task-callbacks';
import { documentClientFor, tracedDynamoDbClient, tracedSfnClient } from '../shared/aws-clients';
import { readConfig, readSeconds } from '../shared/config';
import { makeSandboxCarrierHandler } from './tasks/sandbox-carrier';

const config = readConfig(['SHIPMENTS_TABLE', 'SANDBOX_PICKUP_DELAY_SECONDS']);

export const handler = makeSandboxCarrierHandler({
  shipments: new DynamoDbShipmentStore(documentClientFor(tracedDynamoDbClient()), config.SHIPMENTS_TABLE),
  callbacks: new SfnTaskCallbacks(tracedSfnClient()),
  clock: () => new Date(),
  sleep: async (milliseconds) => {
    await sleep(milliseconds);
  },
  // The function's timeout is 60 s (serverless.yml): the delay must leave it time to report.
  pickupDelaySeconds: readSeconds('SANDBOX_PICKUP_DELAY_SECONDS', config.SANDBOX_PICKUP_DELAY_SECONDS, 50),
});
