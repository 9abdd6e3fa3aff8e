// Lambda entry point for fulfilment's RequestPickup state (the callback): wires the real adapters once per container.
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { SandboxCarrierPickups } from '../adapters/lambda/sandbox-carrier-pickups';
import { documentClientFor, dynamoDbClient, lambdaClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeRequestPickupHandler } from './tasks/request-pickup';

const config = readConfig(['SHIPMENTS_TABLE', 'SANDBOX_CARRIER_FUNCTION']);

export const handler = makeRequestPickupHandler({
  shipments: new DynamoDbShipmentStore(documentClientFor(dynamoDbClient()), config.SHIPMENTS_TABLE),
  carrier: new SandboxCarrierPickups(lambdaClient(), config.SANDBOX_CARRIER_FUNCTION),
});
