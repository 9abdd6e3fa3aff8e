import { OrderNotFoundError } from '../domain/errors';
import type { OrderLine } from '../domain/order';
import type { ShippingService } from '../domain/shipment';
import type { OrderStore } from '../ports/order-store';
import type { ShipmentStore } from '../ports/shipment-store';
import type { ShippingProvider } from '../ports/shipping-provider';

export interface CreateShipmentInput {
  readonly orderId: string;
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
 * Books the shipment with the carrier for the order's address, read from the order store (the address is not in the
 * workflow's data), and keeps it in the shipments table as LABEL_CREATED with that address for the pickup.
 * ShippingFailedError for an undeliverable address. The carrier's ids are stable per order, so a retry books nothing new.
 */
export async function createShipment(
  deps: {
    readonly orders: OrderStore;
    readonly shipping: ShippingProvider;
    readonly shipments: ShipmentStore;
    readonly clock: () => Date;
  },
  { orderId, lines, service }: CreateShipmentInput,
): Promise<CreateShipmentOutput> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  const address = order.shippingAddress;
  const booked = await deps.shipping.createShipment({ orderId, address, lines, service });
  const now = deps.clock().toISOString();
  const stored = await deps.shipments.create({
    ...booked,
    orderId,
    address,
    status: 'LABEL_CREATED',
    events: [],
    createdAt: now,
    updatedAt: now,
  });
  const { shipmentId, trackingNumber, carrier } = stored;
  return { orderId, shipmentId, trackingNumber, carrier, service: stored.service };
}
