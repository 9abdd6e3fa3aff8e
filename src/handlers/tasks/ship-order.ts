import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { shipOrder } from '../../application/ship-order';
import type { OrderStore } from '../../ports/order-store';
import type { ShippingProvider } from '../../ports/shipping-provider';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { addressSchema, lineSchema, orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({ orderId: orderIdSchema, address: addressSchema, lines: z.array(lineSchema).min(1) });

/** State ShipOrder: {orderId, address, lines} -> {orderId, shipmentId, trackingNumber, carrier}. */
export function makeShipOrderHandler(deps: {
  readonly orders: OrderStore;
  readonly shipping: ShippingProvider;
}) {
  return withObservability(async (event: unknown) => {
    const result = await shipOrder(deps, parseTaskInput('shipOrder', input, event));
    logger.info('Order shipped', { shipmentId: result.shipmentId, carrier: result.carrier });
    metrics.addMetric('OrderShipped', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
