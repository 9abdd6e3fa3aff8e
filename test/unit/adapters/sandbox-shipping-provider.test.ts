import { SandboxShippingProvider } from '../../../src/adapters/sandbox/shipping-provider';
import { ShippingFailedError } from '../../../src/domain/errors';
import { ADDRESS, ORDER_ID } from '../support/fixtures';

const key = (secret: string) => () => Promise.resolve(secret);
const request = { orderId: ORDER_ID, address: ADDRESS, lines: [], service: 'STANDARD' as const };

describe('SandboxShippingProvider', () => {
  it('books a shipment with id, tracking number and carrier, the same for the same order', async () => {
    const provider = new SandboxShippingProvider(key('secret-1'));

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
    const provider = new SandboxShippingProvider(key('secret-1'));

    const shipment = provider.createShipment({
      orderId: ORDER_ID,
      address: { ...ADDRESS, postalCode: '00000' },
      lines: [],
      service: 'EXPRESS',
    });

    await expect(shipment).rejects.toThrow(ShippingFailedError);
    // The message reaches the execution history and the logs: no part of the address in it.
    await expect(shipment).rejects.toThrow(`Address undeliverable for order ${ORDER_ID}`);
  });

  it('derives ids that nobody without the secret can compute from the order id', async () => {
    const ours = await new SandboxShippingProvider(key('secret-1')).createShipment(request);
    const guessed = await new SandboxShippingProvider(key('guessed')).createShipment(request);

    expect(guessed.shipmentId).not.toBe(ours.shipmentId);
    expect(guessed.trackingNumber).not.toBe(ours.trackingNumber);
  });
});
