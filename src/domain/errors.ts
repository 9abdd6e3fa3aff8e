/**
 * Typed domain errors. A Lambda error's `name` becomes the Step Functions error name, so each `name` below is
 * the contract with the ASL's Retry/Catch blocks (pinned by a unit test). Only errorType and errorMessage
 * survive Lambda -> Step Functions, so the message carries the detail (SKU, decline code, field).
 */
export abstract class OrderProcessingError extends Error {
  abstract override readonly name: string;
}

/**
 * The base of a domain error named `name`: `class XError extends namedError('XError') {}`. The name is a string
 * literal, set on every instance: `new.target.name` would be mangled by a minifier, and the ASL matches on it.
 */
function namedError<const Name extends string>(name: Name) {
  abstract class NamedError extends OrderProcessingError {
    override readonly name: Name = name;
  }
  return NamedError;
}

/** The customer's order is invalid (unknown SKU, insufficient stock, bad input). */
export class ValidationError extends namedError('ValidationError') {}

/** The payment was declined; retrying will not help. The message names the decline code. */
export class PaymentFailedError extends namedError('PaymentFailedError') {
  constructor(
    readonly declineCode: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${message} (decline code: ${declineCode})`, options);
  }
}

/** The payment processor failed transiently; the workflow retries. */
export class PaymentProcessingError extends namedError('PaymentProcessingError') {}

/** A dependency (DynamoDB, a provider) is throttling or unavailable; the workflow retries. */
export class ServiceUnavailable extends namedError('ServiceUnavailable') {}

/** The shipment cannot be created (e.g. undeliverable address). */
export class ShippingFailedError extends namedError('ShippingFailedError') {}

/** No order exists with the given id. */
export class OrderNotFoundError extends namedError('OrderNotFoundError') {
  constructor(
    readonly orderId: string,
    options?: ErrorOptions,
  ) {
    super(`Order ${orderId} does not exist`, options);
  }
}

/** A status change the lifecycle does not allow (e.g. SHIPPED -> PAID). */
export class IllegalTransitionError extends namedError('IllegalTransitionError') {}

/** Two amounts in different currencies were combined; a data error, never a customer error. */
export class CurrencyMismatchError extends namedError('CurrencyMismatchError') {}

/** A SKU has less stock than a line asks for at the moment it is reserved (checked again after validation). */
export class OutOfStockError extends namedError('OutOfStockError') {}

/** The carrier reported that it could not collect the parcel. */
export class PickupFailedError extends namedError('PickupFailedError') {}

/** No shipment exists with the given id. */
export class ShipmentNotFoundError extends namedError('ShipmentNotFoundError') {
  constructor(
    readonly shipmentId: string,
    options?: ErrorOptions,
  ) {
    super(`Shipment ${shipmentId} does not exist`, options);
  }
}

/** The workflow no longer waits for this callback (it timed out, or it was already completed). */
export class CallbackExpiredError extends namedError('CallbackExpiredError') {}

/**
 * The caller could not be authenticated: no token, a bad or expired one, or a webhook request whose signature does
 * not verify. The message says which, for the caller to fix; it never echoes a secret.
 */
export class UnauthorizedError extends namedError('UnauthorizedError') {}

/** An Idempotency-Key was sent again with another request body: the first request's answer would not fit it. */
export class IdempotencyKeyReusedError extends namedError('IdempotencyKeyReusedError') {}

/** A request with the same Idempotency-Key is still being processed; the client retries later. */
export class IdempotencyKeyInProgressError extends namedError('IdempotencyKeyInProgressError') {}
