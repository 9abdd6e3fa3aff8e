import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { notifyOrderError } from '../../application/notify-order-error';
import type { Notifier } from '../../ports/notifier';
import type { OrderStore } from '../../ports/order-store';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({ orderId: orderIdSchema, error: z.string(), cause: z.string() });

/** State NotifyOrderError: {orderId, error, cause} -> {orderId, notificationId, status: "FAILED"}. */
export function makeNotifyOrderErrorHandler(deps: {
  readonly orders: OrderStore;
  readonly notifier: Notifier;
}) {
  return withObservability(async (event: unknown) => {
    const parsed = parseTaskInput('notifyOrderError', input, event);
    const result = await notifyOrderError(deps, parsed);
    logger.warn('Order failed', { error: parsed.error });
    metrics.addMetric('OrderFailed', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
