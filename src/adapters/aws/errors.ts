import { ServiceUnavailable } from '../../domain/errors';

// Errors an AWS call may succeed after if retried: throttling, server-side faults and network failures.
const TRANSIENT_ERROR_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** DynamoDB refused a write because its ConditionExpression did not hold: the item is not as the write expected. */
export function isConditionFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

/** True for throttling, 5xx and network errors: the ones a Step Functions Retry should see. */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $fault, $metadata } = error as AwsErrorShape;
  if (typeof name === 'string' && TRANSIENT_ERROR_NAMES.has(name)) return true;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  const status = $metadata?.httpStatusCode;
  return $fault === 'server' || (typeof status === 'number' && status >= 500);
}

/**
 * Runs one AWS call, turning transient failures into ServiceUnavailable (the name the ASL retries on) and
 * letting every other error through unchanged for the caller to interpret.
 */
export async function callAws<T>(description: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTransientAwsError(error)) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ServiceUnavailable(`${description} failed transiently (${reason})`, { cause: error });
    }
    throw error;
  }
}
