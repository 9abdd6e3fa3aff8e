import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One Logger and Metrics per container, shared by every module (Powertools' recommended setup). No Powertools
 * Tracer: Lambda's active tracing (provider.tracing.lambda) traces each invocation without the X-Ray SDK, and the
 * logger puts the trace id (xray_trace_id) on every line next to the order id. See README, Observe.
 *
 * The service name and the metrics namespace come from serverless.yml (POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_METRICS_NAMESPACE in provider.environment), which Powertools reads itself.
 */
export const logger = new Logger();
// Metrics' own warnings (e.g. an invocation that published no metric) go through the structured logger.
export const metrics = new Metrics({ logger });
