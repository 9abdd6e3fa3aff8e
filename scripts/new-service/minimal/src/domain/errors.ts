/**
 * Typed domain errors. A Lambda error's `name` becomes the Step Functions error name, so each `name` below is
 * the contract with the ASL's Retry/Catch blocks (pinned by a unit test). Only errorType and errorMessage
 * survive Lambda -> Step Functions, so the message carries the detail.
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

/** The item breaks a business rule; retrying will not help. The message says which. */
export class ItemRejectedError extends namedError('ItemRejectedError') {}

/** A dependency (DynamoDB) is throttling or unavailable; the workflow retries. */
export class ServiceUnavailable extends namedError('ServiceUnavailable') {}

/** The caller could not be authenticated (no token, or a bad or expired one). */
export class UnauthorizedError extends namedError('UnauthorizedError') {}
