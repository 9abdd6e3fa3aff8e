import { OrderNotFoundError } from '../domain/errors';
import type { Order } from '../domain/order';
import type { OrderStore } from '../ports/order-store';

/**
 * The customer's own order, or OrderNotFoundError: another customer's order is answered exactly like one that does
 * not exist, so an order id reveals nothing to someone it does not belong to.
 */
export async function getOrder(
  deps: { readonly orders: OrderStore },
  orderId: string,
  customerId: string,
): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order || order.customerId !== customerId) throw new OrderNotFoundError(orderId);
  return order;
}
