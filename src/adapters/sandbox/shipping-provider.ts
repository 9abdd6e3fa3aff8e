import { createHash } from 'node:crypto';
import { ShippingFailedError } from '../../domain/errors';
import type { Shipment } from '../../domain/order';
import type { ShippingService } from '../../domain/shipment';
import type { ShipmentRequest, ShippingProvider } from '../../ports/shipping-provider';

/** The postal code the sandbox treats as undeliverable. */
export const UNDELIVERABLE_POSTAL_CODE = '00000';
export const SANDBOX_CARRIER = 'SANDBOX-POST';

/**
 * A shipping provider for development and tests. Ids derive from the order id, so booking the same order twice
 * yields the same shipment (a carrier's idempotency key, in effect).
 */
export class SandboxShippingProvider implements ShippingProvider {
  createShipment({
    orderId,
    address,
    service,
  }: ShipmentRequest): Promise<Shipment & { service: ShippingService }> {
    if (address.postalCode === UNDELIVERABLE_POSTAL_CODE) {
      return Promise.reject(
        new ShippingFailedError(
          `Address undeliverable for order ${orderId}: postal code ${address.postalCode} (${address.country})`,
        ),
      );
    }
    const digest = createHash('sha256').update(`shipment:${orderId}`).digest('hex');
    const trackingDigits = BigInt(`0x${digest.slice(24, 40)}`)
      .toString()
      .padStart(12, '0')
      .slice(-12);
    return Promise.resolve({
      shipmentId: `shp_${digest.slice(0, 24)}`,
      trackingNumber: `SBX${trackingDigits}`,
      carrier: SANDBOX_CARRIER,
      service,
    });
  }
}
