import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { validateOrder } from '../../application/validate-order';
import type { Catalog } from '../../ports/catalog';
import type { OrderStore } from '../../ports/order-store';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({ orderId: orderIdSchema });

/** State ValidateOrder: {orderId} -> {orderId, lines, total}; throws ValidationError naming the SKU. */
export function makeValidateOrderHandler(deps: { readonly orders: OrderStore; readonly catalog: Catalog }) {
  return withObservability(async (event: unknown) => {
    const result = await validateOrder(deps, parseTaskInput('validateOrder', input, event));
    logger.info('Order validated', { total: result.total });
    metrics.addMetric('OrderValidated', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
