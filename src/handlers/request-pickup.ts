// Lambda entry point for fulfilment's RequestPickup state (the callback): wires the real adapters once per container.
import { DynamoDbShipmentStore } from '../adapters/dynamodb/shipment-store';
import { SandboxCarrierPickups } from '../adapters/sfn/sandbox-carrier-pickups';
import { documentClientFor, dynamoDbClient, sfnClient } from '../shared/aws-clients';
import { readConfig, readSeconds } from '../shared/config';
import { makeRequestPickupHandler } from './tasks/request-pickup';

const config = readConfig([
  'SHIPMENTS_TABLE',
  'SANDBOX_CARRIER_STATE_MACHINE_ARN',
  'SANDBOX_PICKUP_DELAY_SECONDS',
]);

export const handler = makeRequestPickupHandler({
  shipments: new DynamoDbShipmentStore(documentClientFor(dynamoDbClient()), config.SHIPMENTS_TABLE),
  carrier: new SandboxCarrierPickups(sfnClient(), {
    stateMachineArn: config.SANDBOX_CARRIER_STATE_MACHINE_ARN,
    // Under RequestPickup's HeartbeatSeconds (300): PICKUP_SCHEDULED is the last heartbeat before the pickup.
    pickupDelaySeconds: readSeconds('SANDBOX_PICKUP_DELAY_SECONDS', config.SANDBOX_PICKUP_DELAY_SECONDS, 240),
  }),
});
