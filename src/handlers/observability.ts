import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '../shared/powertools';

/** Adds the order id to every log line for the rest of the invocation. */
export function appendOrderId<TEvent>(
  orderIdOf: (event: TEvent) => string | undefined,
): MiddlewareObj<TEvent> {
  return {
    before: ({ event }) => {
      const orderId = orderIdOf(event);
      if (orderId === undefined) return;
      logger.appendKeys({ orderId });
    },
  };
}

/** The order id of a task input, if it has one (read before the input is validated, for logging only). */
export function orderIdField(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || !('orderId' in event)) return undefined;
  return typeof event.orderId === 'string' ? event.orderId : undefined;
}

/**
 * Wraps a handler with the Powertools middlewares every function uses: Lambda context and the order id on each
 * log line (keys reset per invocation), and metrics flushed at the end of the invocation. Tracing is Lambda's own
 * (active tracing): no middleware, no X-Ray SDK in the bundle.
 */
export function withObservability<TEvent, TResult>(
  lambdaHandler: (event: TEvent, context: Context) => Promise<TResult>,
  orderIdOf: (event: TEvent) => string | undefined,
) {
  return middy<TEvent, TResult>(lambdaHandler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(appendOrderId(orderIdOf))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
