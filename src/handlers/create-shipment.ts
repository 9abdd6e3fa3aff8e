// Lambda entry point for fulfilment's CreateShipment state: wires the real adapters once per container.
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { SandboxShippingProvider } from '../adapters/sandbox/shipping-provider';
import { documentClientFor, tracedDynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeCreateShipmentHandler } from './tasks/create-shipment';

const config = readConfig(['SHIPMENTS_TABLE']);
const documentClient = documentClientFor(tracedDynamoDbClient());

export const handler = makeCreateShipmentHandler({
  shipping: new SandboxShippingProvider(),
  shipments: new DynamoDbShipmentStore(documentClient, config.SHIPMENTS_TABLE),
  clock: () => new Date(),
});
