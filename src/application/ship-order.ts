import { OrderNotFoundError } from '../domain/errors';
import type { OrderLine, ShippingAddress } from '../domain/order';
import { assertTransition } from '../domain/status';
import type { OrderStore } from '../ports/order-store';
import type { ShippingProvider } from '../ports/shipping-provider';

export interface ShipOrderInput {
  readonly orderId: string;
  readonly address: ShippingAddress;
  readonly lines: readonly OrderLine[];
}

export interface ShipOrderOutput {
  readonly orderId: string;
  readonly shipmentId: string;
  readonly trackingNumber: string;
  readonly carrier: string;
}

/** Books the shipment and moves the order PAID -> SHIPPED; an order already shipped returns its shipment. */
export async function shipOrder(
  deps: { readonly orders: OrderStore; readonly shipping: ShippingProvider },
  { orderId, address, lines }: ShipOrderInput,
): Promise<ShipOrderOutput> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  if (order.shipment) return { orderId, ...order.shipment };
  assertTransition(orderId, order.status, 'SHIPPED');
  const shipment = await deps.shipping.createShipment({ orderId, address, lines });
  const shipped = await deps.orders.transition(orderId, ['PAID'], 'SHIPPED', { shipment });
  return { orderId, ...(shipped.shipment ?? shipment) };
}
