import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { reserveStock } from '../../application/reserve-stock';
import type { StockReservations } from '../../ports/stock-reservations';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { nonEmptyString, orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({
  orderId: orderIdSchema,
  sku: nonEmptyString(),
  quantity: z.number().check(z.int(), z.positive()),
});

/** State ReserveItem (in the ReserveStock Map): {orderId, sku, quantity} -> {orderId, sku, reserved}. */
export function makeReserveStockHandler(deps: { readonly stock: StockReservations }) {
  return withObservability(async (event: unknown) => {
    const result = await reserveStock(deps, parseTaskInput('reserveStock', input, event));
    logger.info('Stock reserved', { sku: result.sku, quantity: result.reserved });
    metrics.addMetric('StockReserved', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
