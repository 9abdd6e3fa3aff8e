import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** One Logger, Tracer and Metrics per container, shared by every module (Powertools' recommended setup). */
export const SERVICE_NAME = 'order-processing';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
// Metrics' own warnings (e.g. an invocation that published no metric) go through the structured logger.
export const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: 'OrderProcessing', logger });
