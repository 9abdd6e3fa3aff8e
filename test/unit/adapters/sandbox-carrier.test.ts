import type { LambdaClient } from '@aws-sdk/client-lambda';
import { sandboxPickupPlan } from '../../../src/adapters/sandbox/carrier';
import { SandboxCarrierPickups } from '../../../src/adapters/lambda/sandbox-carrier-pickups';
import { ServiceUnavailable } from '../../../src/domain/errors';
import { ADDRESS, ORDER_ID } from '../support/fixtures';
import { awsError } from '../support/fake-document-client';

describe('sandbox carrier', () => {
  it.each([
    ['10115', ['PICKUP_SCHEDULED', 'PICKED_UP']],
    ['99999', ['PICKUP_SCHEDULED', 'PICKUP_FAILED']],
    ['99998', []],
  ])('plans the events for postal code %s', (postalCode, plan) => {
    expect(sandboxPickupPlan(postalCode)).toEqual(plan);
  });
});

describe('SandboxCarrierPickups', () => {
  it('invokes the sandboxCarrier function asynchronously with the shipment and postal code', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = {
      send: (command: { input: Record<string, unknown> }) => {
        sent.push(command.input);
        return Promise.resolve({ StatusCode: 202 });
      },
    } as unknown as LambdaClient;

    await new SandboxCarrierPickups(client, 'order-processing-test-sandboxCarrier').requestPickup({
      shipmentId: 'shp_1',
      orderId: ORDER_ID,
      address: ADDRESS,
    });

    expect(sent).toHaveLength(1);
    const [{ Payload, ...rest }] = sent as [{ Payload: Uint8Array }];
    expect(rest).toEqual({ FunctionName: 'order-processing-test-sandboxCarrier', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(Payload))).toEqual({
      shipmentId: 'shp_1',
      orderId: ORDER_ID,
      postalCode: ADDRESS.postalCode,
    });
  });

  it('maps throttling to ServiceUnavailable', async () => {
    const client = {
      send: () => Promise.reject(awsError('TooManyRequestsException', 429)),
    } as unknown as LambdaClient;

    const pickup = new SandboxCarrierPickups(client, 'fn').requestPickup({
      shipmentId: 'shp_1',
      orderId: ORDER_ID,
      address: ADDRESS,
    });

    await expect(pickup).rejects.toThrow(ServiceUnavailable);
  });
});
