import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '../shared/powertools';

/** Adds the item id to every log line for the rest of the invocation. */
function appendItemId<TEvent>(itemIdOf: (event: TEvent) => string | undefined): MiddlewareObj<TEvent> {
  return {
    before: ({ event }) => {
      const itemId = itemIdOf(event);
      if (itemId === undefined) return;
      logger.appendKeys({ itemId });
    },
  };
}

/** The item id of a task input, if it has one (read before the input is validated, for logging only). */
export function itemIdField(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || !('itemId' in event)) return undefined;
  return typeof event.itemId === 'string' ? event.itemId : undefined;
}

/**
 * Wraps a handler with the Powertools middlewares every function uses: Lambda context and the item id on each
 * log line (keys reset per invocation), and metrics flushed at the end of the invocation. Tracing is Lambda's own
 * (active tracing): no middleware, no X-Ray SDK in the bundle.
 */
export function withObservability<TEvent, TResult>(
  lambdaHandler: (event: TEvent, context: Context) => Promise<TResult>,
  itemIdOf: (event: TEvent) => string | undefined,
) {
  return middy<TEvent, TResult>(lambdaHandler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(appendItemId(itemIdOf))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
