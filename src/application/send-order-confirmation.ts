import type { ShippingService } from '../domain/shipment';
import type { Notifier } from '../ports/notifier';

export interface SendOrderConfirmationInput {
  readonly orderId: string;
  readonly customerId: string;
  readonly service: ShippingService;
}

/** Queues the customer's order confirmation; at most one per order, however often it is retried. */
export async function sendOrderConfirmation(
  deps: { readonly notifier: Notifier },
  { orderId, customerId, service }: SendOrderConfirmationInput,
): Promise<{ orderId: string; notificationId: string }> {
  const speed = service === 'EXPRESS' ? 'by express delivery' : 'with our next standard collection';
  const notificationId = await deps.notifier.notify({
    orderId,
    type: 'ORDER_CONFIRMED',
    customerId,
    subject: `Your order ${orderId} is confirmed`,
    body: `We have received your payment for order ${orderId}; it leaves our warehouse ${speed}.`,
  });
  return { orderId, notificationId };
}
