// Lambda entry point for POST /shipments/{shipmentId}/events (the carrier's webhook): wires the real adapters once.
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { SfnTaskCallbacks } from '../adapters/sfn/task-callbacks';
import { documentClientFor, tracedDynamoDbClient, tracedSfnClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeCarrierEventHandler } from './http/carrier-event';

const config = readConfig(['SHIPMENTS_TABLE']);

export const handler = makeCarrierEventHandler({
  shipments: new DynamoDbShipmentStore(documentClientFor(tracedDynamoDbClient()), config.SHIPMENTS_TABLE),
  callbacks: new SfnTaskCallbacks(tracedSfnClient()),
  clock: () => new Date(),
});
