import { createHash } from 'node:crypto';
import { PaymentFailedError, PaymentProcessingError, ServiceUnavailable } from '../../domain/errors';
import type { Money } from '../../domain/money';
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

/** What the sandbox processor keeps per idempotency key (the order id), as a card processor's ledger would. */
export interface LedgerEntry {
  readonly orderId: string;
  readonly chargeId: string;
  readonly amount: Money;
  /** How many times money was taken for the key: more than 1 would be a double charge. */
  readonly captures: number;
  readonly refundId?: string;
}

/** The sandbox processor's ledger (DynamoDB on AWS and locally; in memory in unit tests). */
export interface PaymentLedger {
  /** Takes the money once per order id: a repeated capture returns the first entry and takes nothing. */
  capture(entry: Pick<LedgerEntry, 'orderId' | 'chargeId' | 'amount'>): Promise<LedgerEntry>;
  find(orderId: string): Promise<LedgerEntry | undefined>;
  /** Marks the capture refunded (once). */
  refund(orderId: string, refundId: string): Promise<void>;
}

/**
 * A payment gateway for development and tests, driven by test tokens (like a card processor's sandbox):
 * tok_visa succeeds; tok_declined is declined; tok_processing_error always fails transiently; tok_flaky fails
 * transiently twice, then succeeds; tok_unavailable means the processor is down; any other token is invalid.
 * Attempts are counted per order in the order store, so tok_flaky behaves the same across Lambda containers.
 * Refunds always succeed, in full. Captures and refunds go to a ledger keyed by the order id, so the gateway can be
 * asked what it charged for an order whose charge never reached it (findCharge), and a load run can count charges.
 */
export class SandboxPaymentGateway implements PaymentGateway {
  constructor(
    private readonly attempts: PaymentAttemptCounter,
    private readonly ledger: PaymentLedger,
  ) {}

  async charge({ orderId, token, amount }: ChargeRequest): Promise<Charge> {
    const attempt = await this.attempts.recordPaymentAttempt(orderId);
    switch (token) {
      case 'tok_visa':
        return this.capture(orderId, amount);
      case 'tok_flaky':
        if (attempt <= FLAKY_FAILURES) {
          throw new PaymentProcessingError(
            `Payment processor error on attempt ${attempt} for order ${orderId}`,
          );
        }
        return this.capture(orderId, amount);
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

  async refund({ orderId, chargeId, amount }: RefundRequest): Promise<RefundResult> {
    const refundId = refundIdFor(chargeId);
    await this.ledger.refund(orderId, refundId);
    return { refundId, amount };
  }

  async findCharge(orderId: string): Promise<Charge | undefined> {
    const entry = await this.ledger.find(orderId);
    return entry && { chargeId: entry.chargeId, amount: entry.amount };
  }

  private async capture(orderId: string, amount: Money): Promise<Charge> {
    const entry = await this.ledger.capture({ orderId, chargeId: chargeIdFor(orderId), amount });
    return { chargeId: entry.chargeId, amount: entry.amount };
  }
}
