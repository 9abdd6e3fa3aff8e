/**
 * Typed domain errors. A Lambda error's `name` becomes the Step Functions error name, so each `name` below is
 * the contract with the ASL's Retry/Catch blocks (pinned by a unit test). Only errorType and errorMessage
 * survive Lambda -> Step Functions, so the message carries the detail (SKU, decline code, field).
 */
export abstract class OrderProcessingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // Set explicitly: `new.target.name` would be mangled by a minifier, and the ASL matches on this string.
    this.name = this.errorName();
  }

  protected abstract errorName(): string;
}

/** The customer's order is invalid (unknown SKU, insufficient stock, bad input). */
export class ValidationError extends OrderProcessingError {
  protected errorName() {
    return 'ValidationError';
  }
}

/** The payment was declined; retrying will not help. The message names the decline code. */
export class PaymentFailedError extends OrderProcessingError {
  constructor(
    readonly declineCode: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${message} (decline code: ${declineCode})`, options);
  }

  protected errorName() {
    return 'PaymentFailedError';
  }
}

/** The payment processor failed transiently; the workflow retries. */
export class PaymentProcessingError extends OrderProcessingError {
  protected errorName() {
    return 'PaymentProcessingError';
  }
}

/** A dependency (DynamoDB, a provider) is throttling or unavailable; the workflow retries. */
export class ServiceUnavailable extends OrderProcessingError {
  protected errorName() {
    return 'ServiceUnavailable';
  }
}

/** The shipment cannot be created (e.g. undeliverable address). */
export class ShippingFailedError extends OrderProcessingError {
  protected errorName() {
    return 'ShippingFailedError';
  }
}

/** No order exists with the given id. */
export class OrderNotFoundError extends OrderProcessingError {
  constructor(
    readonly orderId: string,
    options?: ErrorOptions,
  ) {
    super(`Order ${orderId} does not exist`, options);
  }

  protected errorName() {
    return 'OrderNotFoundError';
  }
}

/** A status change the lifecycle does not allow (e.g. SHIPPED -> PAID). */
export class IllegalTransitionError extends OrderProcessingError {
  protected errorName() {
    return 'IllegalTransitionError';
  }
}

/** Two amounts in different currencies were combined; a data error, never a customer error. */
export class CurrencyMismatchError extends OrderProcessingError {
  protected errorName() {
    return 'CurrencyMismatchError';
  }
}

/** A SKU has less stock than a line asks for at the moment it is reserved (checked again after validation). */
export class OutOfStockError extends OrderProcessingError {
  protected errorName() {
    return 'OutOfStockError';
  }
}

/** The carrier reported that it could not collect the parcel. */
export class PickupFailedError extends OrderProcessingError {
  protected errorName() {
    return 'PickupFailedError';
  }
}

/** No shipment exists with the given id. */
export class ShipmentNotFoundError extends OrderProcessingError {
  constructor(
    readonly shipmentId: string,
    options?: ErrorOptions,
  ) {
    super(`Shipment ${shipmentId} does not exist`, options);
  }

  protected errorName() {
    return 'ShipmentNotFoundError';
  }
}

/** The workflow no longer waits for this callback (it timed out, or it was already completed). */
export class CallbackExpiredError extends OrderProcessingError {
  protected errorName() {
    return 'CallbackExpiredError';
  }
}

/**
 * The caller could not be authenticated: no token, a bad or expired one, or a webhook request whose signature does
 * not verify. The message says which, for the caller to fix; it never echoes a secret.
 */
export class UnauthorizedError extends OrderProcessingError {
  protected errorName() {
    return 'UnauthorizedError';
  }
}
