import { randomBytes } from 'node:crypto';

/**
 * The card token a customer sent, kept on the order (never in the workflow's input, history or logs) under a
 * reference the workflow carries instead. The token is dropped from the order once the charge is made.
 */
export interface PaymentMethod {
  readonly reference: string;
  readonly token?: string;
}

export const PAYMENT_METHOD_REFERENCE = /^pm_[0-9a-f]{24}$/;

/** A fresh, unguessable payment method reference. */
export function newPaymentMethodReference(random: Uint8Array = randomBytes(12)): string {
  return `pm_${Buffer.from(random).toString('hex')}`;
}
