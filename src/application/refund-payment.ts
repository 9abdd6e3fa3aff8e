import { IllegalTransitionError, OrderNotFoundError } from '../domain/errors';
import type { Money } from '../domain/money';
import type { OrderStore } from '../ports/order-store';
import type { PaymentGateway } from '../ports/payment-gateway';

export interface RefundPaymentOutput {
  readonly orderId: string;
  readonly refundId: string;
  readonly amount: Money;
  readonly at: string;
}

/**
 * Compensation: refunds the order's charge in full and records it as payment.refund. Never refunds twice: a
 * refunded order returns its stored refund, and the gateway's refund id derives from the charge.
 */
export async function refundPayment(
  deps: { readonly orders: OrderStore; readonly payments: PaymentGateway; readonly clock: () => Date },
  { orderId }: { readonly orderId: string },
): Promise<RefundPaymentOutput> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  const { payment } = order;
  if (!payment) throw new IllegalTransitionError(`Order ${orderId} has no payment to refund`);
  if (payment.refund) return { orderId, ...payment.refund };
  const refund = await deps.payments.refund({ orderId, chargeId: payment.chargeId, amount: payment.amount });
  const updated = await deps.orders.recordRefund(orderId, { ...refund, at: deps.clock().toISOString() });
  const recorded = updated.payment?.refund ?? { ...refund, at: deps.clock().toISOString() };
  return { orderId, ...recorded };
}
