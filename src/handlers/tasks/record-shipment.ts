import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { recordShipment } from '../../application/record-shipment';
import type { OrderStore } from '../../ports/order-store';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { nonEmptyString, orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({
  orderId: orderIdSchema,
  shipment: z.object({
    shipmentId: nonEmptyString(),
    trackingNumber: nonEmptyString(),
    carrier: nonEmptyString(),
    service: z.optional(z.string()),
  }),
});

/** State RecordShipment: {orderId, shipment} -> {orderId, shipmentId, trackingNumber, carrier, service}. */
export function makeRecordShipmentHandler(deps: { readonly orders: OrderStore }) {
  return withObservability(async (event: unknown) => {
    const result = await recordShipment(deps, parseTaskInput('recordShipment', input, event));
    logger.info('Order shipped', { shipmentId: result.shipmentId, carrier: result.carrier });
    metrics.addMetric('OrderShipped', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
