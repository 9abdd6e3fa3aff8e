import type { Shipment } from '../domain/order';
import type { OrderStore } from '../ports/order-store';

export interface RecordShipmentOutput extends Shipment {
  readonly orderId: string;
}

/**
 * Moves the order PAID -> SHIPPED with the shipment the fulfilment workflow booked and the carrier collected. A
 * retry after success returns the shipment stored the first time.
 */
export async function recordShipment(
  deps: { readonly orders: OrderStore },
  { orderId, shipment }: { readonly orderId: string; readonly shipment: Shipment },
): Promise<RecordShipmentOutput> {
  const { shipmentId, trackingNumber, carrier, service } = shipment;
  const shipped = await deps.orders.transition(orderId, ['PAID'], 'SHIPPED', {
    shipment: { shipmentId, trackingNumber, carrier, ...(service === undefined ? {} : { service }) },
  });
  return { orderId, ...(shipped.shipment ?? shipment) };
}
