import { OrderNotFoundError, PaymentFailedError } from '../domain/errors';
import type { Money } from '../domain/money';
import { assertTransition } from '../domain/status';
import type { OrderStore } from '../ports/order-store';
import type { PaymentGateway } from '../ports/payment-gateway';

export interface ProcessPaymentInput {
  readonly orderId: string;
  /** The payment method's reference; the card token itself is read from the order. */
  readonly paymentMethod: string;
  readonly amount: Money;
}

export interface ProcessPaymentOutput {
  readonly orderId: string;
  readonly chargeId: string;
  readonly amount: Money;
  readonly status: 'CAPTURED';
}

/**
 * Charges the order with the card token stored under the payment method reference and moves it VALIDATED -> PAID
 * with the charge, dropping the token from the order (only its reference stays). Never charges twice: an order that is
 * already paid returns its stored charge, and the gateway is keyed on the order id, so a retry after a charge
 * whose status write was lost gets the same charge back.
 */
export async function processPayment(
  deps: { readonly orders: OrderStore; readonly payments: PaymentGateway },
  { orderId, paymentMethod, amount }: ProcessPaymentInput,
): Promise<ProcessPaymentOutput> {
  const order = await deps.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  if (order.payment) return { orderId, ...order.payment, status: 'CAPTURED' };
  assertTransition(orderId, order.status, 'PAID');
  if (order.total && (order.total.amount !== amount.amount || order.total.currency !== amount.currency)) {
    // The workflow passes the validated total; any other amount is a wiring bug, not a customer error.
    throw new Error(
      `Order ${orderId}: amount ${amount.amount} ${amount.currency} differs from the order total`,
    );
  }
  const token = order.paymentMethod?.reference === paymentMethod ? order.paymentMethod.token : undefined;
  if (token === undefined) {
    throw new PaymentFailedError(
      'invalid_payment_method',
      `Order ${orderId} has no payment method ${paymentMethod}`,
    );
  }
  const charge = await deps.payments.charge({ orderId, token, amount });
  const paid = await deps.orders.transition(orderId, ['VALIDATED'], 'PAID', {
    payment: charge,
    paymentMethod: { reference: paymentMethod },
  });
  return { orderId, ...(paid.payment ?? charge), status: 'CAPTURED' };
}
