// Lambda entry point for the ShipOrder state: wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { SandboxShippingProvider } from '../adapters/sandbox/shipping-provider';
import { documentClientFor, tracedDynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeShipOrderHandler } from './tasks/ship-order';

const config = readConfig(['ORDERS_TABLE']);
const documentClient = documentClientFor(tracedDynamoDbClient());

export const handler = makeShipOrderHandler({
  orders: new DynamoDbOrderStore(documentClient, config.ORDERS_TABLE),
  shipping: new SandboxShippingProvider(),
});
