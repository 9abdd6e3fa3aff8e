import { SandboxShippingProvider } from '../../../src/adapters/sandbox/shipping-provider';
import { ShippingFailedError } from '../../../src/domain/errors';
import { ADDRESS, ORDER_ID } from '../support/fixtures';

describe('SandboxShippingProvider', () => {
  it('books a shipment with id, tracking number and carrier, the same for the same order', async () => {
    const provider = new SandboxShippingProvider();

    const first = await provider.createShipment({
      orderId: ORDER_ID,
      address: ADDRESS,
      lines: [],
      service: 'STANDARD' as const,
    });
    const again = await provider.createShipment({
      orderId: ORDER_ID,
      address: ADDRESS,
      lines: [],
      service: 'STANDARD' as const,
    });

    expect(first).toEqual({
      shipmentId: expect.stringMatching(/^shp_[0-9a-f]{24}$/) as unknown,
      trackingNumber: expect.stringMatching(/^SBX\d{12}$/) as unknown,
      carrier: 'SANDBOX-POST',
      service: 'STANDARD',
    });
    expect(again).toEqual(first);
  });

  it('rejects postal code 00000 as undeliverable', async () => {
    const provider = new SandboxShippingProvider();

    const shipment = provider.createShipment({
      orderId: ORDER_ID,
      address: { ...ADDRESS, postalCode: '00000' },
      lines: [],
      service: 'EXPRESS',
    });

    await expect(shipment).rejects.toThrow(ShippingFailedError);
    await expect(shipment).rejects.toThrow('postal code 00000');
  });
});
