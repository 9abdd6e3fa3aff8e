import type { SFNClient } from '@aws-sdk/client-sfn';
import { sandboxPickupPlan } from '../../../src/adapters/sandbox/carrier';
import { SandboxCarrierPickups } from '../../../src/adapters/sfn/sandbox-carrier-pickups';
import { ServiceUnavailable } from '../../../src/domain/errors';
import { ADDRESS, ORDER_ID } from '../support/fixtures';
import { awsError } from '../support/fake-document-client';

const CARRIER = {
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:order-processing-test-carrier',
  pickupDelaySeconds: 2,
};

function recordingClient(sent: Record<string, unknown>[]): SFNClient {
  return {
    send: (command: { input: Record<string, unknown> }) => {
      sent.push(command.input);
      return Promise.resolve({ executionArn: 'arn:execution', startDate: new Date() });
    },
  } as unknown as SFNClient;
}

describe('sandbox carrier', () => {
  it.each([
    ['10115', { first: 'PICKUP_SCHEDULED', last: 'PICKED_UP' }],
    ['99999', { first: 'PICKUP_SCHEDULED', last: 'PICKUP_FAILED' }],
    ['99998', undefined],
  ])('plans the events for postal code %s', (postalCode, plan) => {
    expect(sandboxPickupPlan(postalCode)).toEqual(plan);
  });
});

describe('SandboxCarrierPickups', () => {
  it("starts the carrier's workflow with ids, event types and the delay, never the address", async () => {
    const sent: Record<string, unknown>[] = [];

    await new SandboxCarrierPickups(recordingClient(sent), CARRIER).requestPickup({
      shipmentId: 'shp_1',
      orderId: ORDER_ID,
      address: ADDRESS,
    });

    expect(sent).toHaveLength(1);
    const [{ input, ...rest }] = sent as [{ input: string }];
    expect(rest).toEqual({ stateMachineArn: CARRIER.stateMachineArn });
    expect(JSON.parse(input)).toEqual({
      shipmentId: 'shp_1',
      orderId: ORDER_ID,
      first: 'PICKUP_SCHEDULED',
      last: 'PICKED_UP',
      pickupDelaySeconds: 2,
    });
    expect(input).not.toContain(ADDRESS.postalCode);
  });

  it('starts nothing for the postal code the carrier never comes to (99998)', async () => {
    const sent: Record<string, unknown>[] = [];

    await new SandboxCarrierPickups(recordingClient(sent), CARRIER).requestPickup({
      shipmentId: 'shp_1',
      orderId: ORDER_ID,
      address: { ...ADDRESS, postalCode: '99998' },
    });

    expect(sent).toEqual([]);
  });

  it('maps throttling to ServiceUnavailable', async () => {
    const client = {
      send: () => Promise.reject(awsError('ThrottlingException', 400)),
    } as unknown as SFNClient;

    const pickup = new SandboxCarrierPickups(client, CARRIER).requestPickup({
      shipmentId: 'shp_1',
      orderId: ORDER_ID,
      address: ADDRESS,
    });

    await expect(pickup).rejects.toThrow(ServiceUnavailable);
  });
});
