import { createHash } from 'node:crypto';
import { PaymentFailedError, PaymentProcessingError, ServiceUnavailable } from '../../domain/errors';
import type { PaymentAttemptCounter } from '../../ports/order-store';
import type {
  Charge,
  ChargeRequest,
  PaymentGateway,
  RefundRequest,
  RefundResult,
} from '../../ports/payment-gateway';

/** Attempts of `tok_flaky` that fail before one succeeds. */
export const FLAKY_FAILURES = 2;

/** The charge id is derived from the order id, so charging an order again can only ever yield the same charge. */
export function chargeIdFor(orderId: string): string {
  return `ch_${createHash('sha256').update(`charge:${orderId}`).digest('hex').slice(0, 24)}`;
}

/** The refund id is derived from the charge, so refunding a charge again can only ever yield the same refund. */
export function refundIdFor(chargeId: string): string {
  return `re_${createHash('sha256').update(`refund:${chargeId}`).digest('hex').slice(0, 24)}`;
}

/**
 * A payment gateway for development and tests, driven by test tokens (like a card processor's sandbox):
 * tok_visa succeeds; tok_declined is declined; tok_processing_error always fails transiently; tok_flaky fails
 * transiently twice, then succeeds; tok_unavailable means the processor is down; any other token is invalid.
 * Attempts are counted per order in the order store, so tok_flaky behaves the same across Lambda containers.
 * Refunds always succeed, in full.
 */
export class SandboxPaymentGateway implements PaymentGateway {
  constructor(private readonly attempts: PaymentAttemptCounter) {}

  async charge({ orderId, token, amount }: ChargeRequest): Promise<Charge> {
    const attempt = await this.attempts.recordPaymentAttempt(orderId);
    switch (token) {
      case 'tok_visa':
        return { chargeId: chargeIdFor(orderId), amount };
      case 'tok_flaky':
        if (attempt <= FLAKY_FAILURES) {
          throw new PaymentProcessingError(
            `Payment processor error on attempt ${attempt} for order ${orderId}`,
          );
        }
        return { chargeId: chargeIdFor(orderId), amount };
      case 'tok_declined':
        throw new PaymentFailedError('card_declined', `The card was declined for order ${orderId}`);
      case 'tok_processing_error':
        throw new PaymentProcessingError(
          `Payment processor error on attempt ${attempt} for order ${orderId}`,
        );
      case 'tok_unavailable':
        throw new ServiceUnavailable('The payment processor is unavailable');
      default:
        throw new PaymentFailedError('invalid_token', `The payment token is not valid for order ${orderId}`);
    }
  }

  refund({ chargeId, amount }: RefundRequest): Promise<RefundResult> {
    return Promise.resolve({ refundId: refundIdFor(chargeId), amount });
  }
}
