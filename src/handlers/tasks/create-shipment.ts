import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { createShipment } from '../../application/create-shipment';
import { SHIPPING_SERVICES } from '../../domain/shipment';
import type { OrderStore } from '../../ports/order-store';
import type { ShipmentStore } from '../../ports/shipment-store';
import type { ShippingProvider } from '../../ports/shipping-provider';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { lineSchema, orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({
  orderId: orderIdSchema,
  lines: z.array(lineSchema).check(z.minLength(1)),
  service: z.enum(SHIPPING_SERVICES),
});

/**
 * State CreateShipment (PrepareShipment's first branch): {orderId, lines, service} ->
 * {orderId, shipmentId, trackingNumber, carrier, service}.
 */
export function makeCreateShipmentHandler(deps: {
  readonly orders: OrderStore;
  readonly shipping: ShippingProvider;
  readonly shipments: ShipmentStore;
  readonly clock: () => Date;
}) {
  return withObservability(async (event: unknown) => {
    const result = await createShipment(deps, parseTaskInput('createShipment', input, event));
    logger.info('Shipment booked', { shipmentId: result.shipmentId, shippingService: result.service });
    metrics.addMetric('ShipmentBooked', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
