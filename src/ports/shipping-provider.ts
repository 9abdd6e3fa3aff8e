import type { OrderLine, Shipment, ShippingAddress } from '../domain/order';
import type { ShippingService } from '../domain/shipment';

export interface ShipmentRequest {
  /** Also the idempotency key: one shipment per order. */
  readonly orderId: string;
  readonly address: ShippingAddress;
  readonly lines: readonly OrderLine[];
  readonly service: ShippingService;
}

/** Books shipments. Throws ShippingFailedError (undeliverable) or ServiceUnavailable. */
export interface ShippingProvider {
  createShipment(request: ShipmentRequest): Promise<Shipment & { service: ShippingService }>;
}
