import { createHmac } from 'node:crypto';
import { ShippingFailedError } from '../../domain/errors';
import type { Shipment } from '../../domain/order';
import type { ShippingService } from '../../domain/shipment';
import type { ShipmentRequest, ShippingProvider } from '../../ports/shipping-provider';

/** The postal code the sandbox treats as undeliverable. */
export const UNDELIVERABLE_POSTAL_CODE = '00000';
export const SANDBOX_CARRIER = 'SANDBOX-POST';

/**
 * A shipping provider for development and tests. Ids are an HMAC of the order id keyed with the carrier's secret:
 * booking the same order twice yields the same shipment (a carrier's idempotency key, in effect), yet nobody who
 * knows only the order id can work out its shipment id.
 */
export class SandboxShippingProvider implements ShippingProvider {
  constructor(private readonly idKey: () => Promise<string>) {}

  async createShipment({
    orderId,
    address,
    service,
  }: ShipmentRequest): Promise<Shipment & { service: ShippingService }> {
    // The message names no part of the address: it travels into the execution history and the logs.
    if (address.postalCode === UNDELIVERABLE_POSTAL_CODE) {
      throw new ShippingFailedError(`Address undeliverable for order ${orderId}`);
    }
    const digest = createHmac('sha256', await this.idKey())
      .update(`shipment:${orderId}`)
      .digest('hex');
    const trackingDigits = BigInt(`0x${digest.slice(24, 40)}`)
      .toString()
      .padStart(12, '0')
      .slice(-12);
    return {
      shipmentId: `shp_${digest.slice(0, 24)}`,
      trackingNumber: `SBX${trackingDigits}`,
      carrier: SANDBOX_CARRIER,
      service,
    };
  }
}
