import type { Money } from '../domain/money';

export interface ChargeRequest {
  /** Also the idempotency key: charging the same order twice returns the first charge. */
  readonly orderId: string;
  readonly token: string;
  readonly amount: Money;
}

export interface Charge {
  readonly chargeId: string;
  readonly amount: Money;
}

export interface RefundRequest {
  readonly orderId: string;
  readonly chargeId: string;
  readonly amount: Money;
}

export interface RefundResult {
  /** The same for every refund of the same charge: refunding twice can only ever yield the first refund. */
  readonly refundId: string;
  readonly amount: Money;
}

/** Takes payments. Throws PaymentFailedError (declined), PaymentProcessingError or ServiceUnavailable. */
export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<Charge>;
  /** Refunds a charge in full; idempotent per charge. Throws PaymentProcessingError or ServiceUnavailable. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /**
   * The charge made for this order (the idempotency key), if any: how the saga learns that a charge happened whose
   * result never reached the order (the charging Lambda timed out after the gateway took the money).
   */
  findCharge(orderId: string): Promise<Charge | undefined>;
}
