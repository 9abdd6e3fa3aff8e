import type { OrderLine, Shipment, ShippingAddress } from '../domain/order';

export interface ShipmentRequest {
  /** Also the idempotency key: one shipment per order. */
  readonly orderId: string;
  readonly address: ShippingAddress;
  readonly lines: readonly OrderLine[];
}

/** Books shipments. Throws ShippingFailedError (undeliverable) or ServiceUnavailable. */
export interface ShippingProvider {
  createShipment(request: ShipmentRequest): Promise<Shipment>;
}
