import { failureFrom } from '../domain/order';
import { predecessorsOf } from '../domain/status';
import type { Notifier } from '../ports/notifier';
import type { OrderStore } from '../ports/order-store';

export interface NotifyOrderErrorInput {
  readonly orderId: string;
  readonly error: string;
  readonly cause: string;
}

export interface NotifyOrderErrorOutput {
  readonly orderId: string;
  readonly notificationId: string;
  readonly status: 'FAILED';
}

/**
 * Moves the order from any non-terminal status to FAILED with the failure (the error and its fixed customer text;
 * the cause stays in the execution history), then queues one customer
 * notification. Safe to retry: an order already FAILED keeps its first failure, and the outbox holds at most
 * one failure message per order.
 */
export async function notifyOrderError(
  deps: { readonly orders: OrderStore; readonly notifier: Notifier },
  { orderId, error }: NotifyOrderErrorInput,
): Promise<NotifyOrderErrorOutput> {
  const failed = await deps.orders.transition(orderId, predecessorsOf('FAILED'), 'FAILED', {
    failure: failureFrom(error),
  });
  const failure = failed.failure ?? failureFrom(error);
  const notificationId = await deps.notifier.notify({
    orderId,
    type: 'ORDER_FAILED',
    customerId: failed.customerId,
    subject: `Your order ${orderId} could not be completed`,
    body: `We could not complete your order ${orderId}: ${failure.cause}`,
  });
  return { orderId, notificationId, status: 'FAILED' };
}
