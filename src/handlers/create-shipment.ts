// Lambda entry point for fulfilment's CreateShipment state: wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { SandboxShippingProvider } from '../adapters/sandbox/shipping-provider';
import { webhookSecretFromEnv } from '../adapters/secrets/webhook-secret';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeCreateShipmentHandler } from './tasks/create-shipment';

const config = readConfig(['ORDERS_TABLE', 'SHIPMENTS_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());

export const handler = makeCreateShipmentHandler({
  orders: new DynamoDbOrderStore(documentClient, config.ORDERS_TABLE),
  // The sandbox carrier keys its shipment ids with the secret it shares with us.
  shipping: new SandboxShippingProvider(webhookSecretFromEnv()),
  shipments: new DynamoDbShipmentStore(documentClient, config.SHIPMENTS_TABLE),
  clock: () => new Date(),
});
