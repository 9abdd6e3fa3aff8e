import { OrderNotFoundError } from '../domain/errors';
import type { Order } from '../domain/order';
import type { OrderStore } from '../ports/order-store';

/** The order, or OrderNotFoundError. */
export async function getOrder(deps: { readonly orders: OrderStore }, orderId: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  return order;
}
