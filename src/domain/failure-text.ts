/**
 * What a customer reads as an order's failure (GET /orders, the notification): a fixed text per error name. The
 * error's own cause can hold a carrier's free text, an address or a raw execution description; it stays in the
 * execution history for operators and never reaches the customer.
 */
const CUSTOMER_TEXT: Readonly<Record<string, string>> = {
  ValidationError: 'One or more items are unknown or not in stock in the quantity ordered',
  PaymentFailedError: 'The payment was declined',
  PaymentProcessingError: 'The payment could not be processed; please try again later',
  ServiceUnavailable: 'A service we depend on was unavailable; please try again later',
  OutOfStockError: 'An item went out of stock before it could be reserved',
  ShippingFailedError: 'The parcel cannot be delivered to the shipping address',
  PickupFailedError: 'The carrier could not collect the parcel',
  PickupTimeoutError: 'The carrier did not confirm the pickup in time',
  WorkflowStartFailed: 'The order could not be processed; please try again',
};

export const DEFAULT_FAILURE_TEXT = 'The order could not be completed';

export function customerFailureText(error: string): string {
  return CUSTOMER_TEXT[error] ?? DEFAULT_FAILURE_TEXT;
}
