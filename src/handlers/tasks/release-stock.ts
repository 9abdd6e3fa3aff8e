import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { releaseStock } from '../../application/release-stock';
import type { StockReservations } from '../../ports/stock-reservations';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({ orderId: orderIdSchema });

/** State ReleaseStock: {orderId} -> {orderId, released: [{sku, quantity}]}. */
export function makeReleaseStockHandler(deps: { readonly stock: StockReservations }) {
  return withObservability(async (event: unknown) => {
    const result = await releaseStock(deps, parseTaskInput('releaseStock', input, event));
    logger.info('Stock released', { released: result.released });
    metrics.addMetric('StockReleased', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
