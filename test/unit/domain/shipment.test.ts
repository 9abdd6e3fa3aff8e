import { CARRIER_EVENT_TYPES, statusAfter } from '../../../src/domain/shipment';

describe('shipment lifecycle', () => {
  it.each([
    ['PICKUP_SCHEDULED', 'AWAITING_PICKUP'],
    ['PICKED_UP', 'PICKED_UP'],
    ['PICKUP_FAILED', 'PICKUP_FAILED'],
  ] as const)('moves a shipment awaiting its pickup to %s -> %s', (type, status) => {
    expect(statusAfter(type)).toBe(status);
  });

  it('knows exactly the carrier events the webhook accepts', () => {
    expect(CARRIER_EVENT_TYPES).toEqual(['PICKUP_SCHEDULED', 'PICKED_UP', 'PICKUP_FAILED']);
  });
});
