import { OrderNotFoundError } from '../domain/errors';
import type { ShippingService } from '../domain/shipment';
import type { Notifier } from '../ports/notifier';
import type { OrderStore } from '../ports/order-store';

export interface SendOrderConfirmationInput {
  readonly orderId: string;
  readonly service: ShippingService;
}

/**
 * Queues the customer's order confirmation; at most one per order, however often it is retried. The customer is read
 * from the order (the workflow's data carries no customer).
 */
export async function sendOrderConfirmation(
  deps: { readonly orders: OrderStore; readonly notifier: Notifier },
  { orderId, service }: SendOrderConfirmationInput,
): Promise<{ orderId: string; notificationId: string }> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  const speed = service === 'EXPRESS' ? 'by express delivery' : 'with our next standard collection';
  const notificationId = await deps.notifier.notify({
    orderId,
    type: 'ORDER_CONFIRMED',
    customerId: order.customerId,
    subject: `Your order ${orderId} is confirmed`,
    body: `We have received your payment for order ${orderId}; it leaves our warehouse ${speed}.`,
  });
  return { orderId, notificationId };
}
