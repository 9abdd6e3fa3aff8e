import { ServiceUnavailable } from '../domain/errors';

/** AWS SDK errors that a later attempt may not meet (throttling, a dependency briefly down, a lost connection). */
const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
]);

/** A transient AWS error becomes ServiceUnavailable (the workflow retries it); anything else is left as it is. */
export function asServiceUnavailable(error: unknown, message: string): unknown {
  if (
    error instanceof Error &&
    (TRANSIENT.has(error.name) || TRANSIENT.has(String((error as { code?: unknown }).code)))
  ) {
    return new ServiceUnavailable(`${message}: ${error.name}`, { cause: error });
  }
  return error;
}
