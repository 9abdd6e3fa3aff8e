import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One Logger and Metrics per container, shared by every module (Powertools' recommended setup). No Powertools
 * Tracer: Lambda's active tracing (provider.tracing.lambda) traces each invocation without the X-Ray SDK, and the
 * logger puts the trace id (xray_trace_id) on every line next to the order id. See README, Observe.
 */
export const SERVICE_NAME = 'order-processing';

export const logger = new Logger({ serviceName: SERVICE_NAME });
// Metrics' own warnings (e.g. an invocation that published no metric) go through the structured logger.
export const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: 'OrderProcessing', logger });
