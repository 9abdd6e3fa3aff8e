import type { OrderLine, ShippingAddress } from '../domain/order';
import type { ShippingService } from '../domain/shipment';
import type { ShipmentStore } from '../ports/shipment-store';
import type { ShippingProvider } from '../ports/shipping-provider';

export interface CreateShipmentInput {
  readonly orderId: string;
  readonly address: ShippingAddress;
  readonly lines: readonly OrderLine[];
  readonly service: ShippingService;
}

export interface CreateShipmentOutput {
  readonly orderId: string;
  readonly shipmentId: string;
  readonly trackingNumber: string;
  readonly carrier: string;
  readonly service: ShippingService;
}

/**
 * Books the shipment with the carrier (ShippingFailedError for an undeliverable address) and keeps it in the
 * shipments table as LABEL_CREATED. The carrier's ids derive from the order, so a retry books nothing new.
 */
export async function createShipment(
  deps: {
    readonly shipping: ShippingProvider;
    readonly shipments: ShipmentStore;
    readonly clock: () => Date;
  },
  { orderId, address, lines, service }: CreateShipmentInput,
): Promise<CreateShipmentOutput> {
  const booked = await deps.shipping.createShipment({ orderId, address, lines, service });
  const now = deps.clock().toISOString();
  const stored = await deps.shipments.create({
    ...booked,
    orderId,
    status: 'LABEL_CREATED',
    events: [],
    createdAt: now,
    updatedAt: now,
  });
  const { shipmentId, trackingNumber, carrier } = stored;
  return { orderId, shipmentId, trackingNumber, carrier, service: stored.service };
}
