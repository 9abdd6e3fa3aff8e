// Lambda entry point for fulfilment's CancelPickup state: wires the real adapters once per container.
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeCancelPickupHandler } from './tasks/cancel-pickup';

const config = readConfig(['SHIPMENTS_TABLE']);

export const handler = makeCancelPickupHandler({
  shipments: new DynamoDbShipmentStore(documentClientFor(dynamoDbClient()), config.SHIPMENTS_TABLE),
});
