import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { requestPickup } from '../../application/request-pickup';
import type { CarrierPickups } from '../../ports/carrier';
import type { ShipmentStore } from '../../ports/shipment-store';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { nonEmptyString, orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({
  taskToken: nonEmptyString(),
  orderId: orderIdSchema,
  shipmentId: nonEmptyString(),
});

/**
 * State RequestPickup (lambda:invoke.waitForTaskToken): {taskToken, orderId, shipmentId}. Its return value
 * is not the state's result: the workflow waits for the carrier's webhook to complete the token.
 */
export function makeRequestPickupHandler(deps: {
  readonly shipments: ShipmentStore;
  readonly carrier: CarrierPickups;
}) {
  return withObservability(async (event: unknown) => {
    const result = await requestPickup(deps, parseTaskInput('requestPickup', input, event));
    logger.info('Pickup requested; waiting for the carrier', { shipmentId: result.shipmentId });
    metrics.addMetric('PickupRequested', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
