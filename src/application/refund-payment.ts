import { OrderNotFoundError } from '../domain/errors';
import type { Refund } from '../domain/order';
import type { OrderStore } from '../ports/order-store';
import type { PaymentGateway } from '../ports/payment-gateway';

export type RefundPaymentOutput =
  | ({ readonly orderId: string; readonly refunded: true } & Refund)
  | { readonly orderId: string; readonly refunded: false };

/**
 * Compensation: refunds the order's charge in full and records it as payment.refund. The charge is the order's, or
 * — when none reached the order — the one the gateway holds for the order's idempotency key (the charging Lambda
 * may have timed out after the money was taken); with no charge anywhere there is nothing to refund. Never refunds
 * twice: a refunded order returns its stored refund, and the gateway's refund id derives from the charge.
 */
export async function refundPayment(
  deps: { readonly orders: OrderStore; readonly payments: PaymentGateway; readonly clock: () => Date },
  { orderId }: { readonly orderId: string },
): Promise<RefundPaymentOutput> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  if (order.payment?.refund) return { orderId, refunded: true, ...order.payment.refund };
  const charge = order.payment ?? (await deps.payments.findCharge(orderId));
  if (!charge) return { orderId, refunded: false };
  const refund = await deps.payments.refund({ orderId, chargeId: charge.chargeId, amount: charge.amount });
  const at = deps.clock().toISOString();
  const updated = await deps.orders.recordRefund(orderId, charge, { ...refund, at });
  return { orderId, refunded: true, ...(updated.payment?.refund ?? { ...refund, at }) };
}
