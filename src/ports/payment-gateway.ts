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

/** Takes payments. Throws PaymentFailedError (declined), PaymentProcessingError or ServiceUnavailable. */
export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<Charge>;
}
