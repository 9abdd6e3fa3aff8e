import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { cancelPickup } from '../../application/cancel-pickup';
import type { ShipmentStore } from '../../ports/shipment-store';
import { logger, metrics } from '../../shared/powertools';
import { withObservability } from '../observability';
import { nonEmptyString, parseTaskInput } from './task-input';

const input = z.object({ shipmentId: nonEmptyString() });

/** State CancelPickup (after the pickup timed out): {shipmentId} -> {shipmentId, status: "CANCELLED"}. */
export function makeCancelPickupHandler(deps: { readonly shipments: ShipmentStore }) {
  return withObservability(
    async (event: unknown) => {
      const result = await cancelPickup(deps, parseTaskInput('cancelPickup', input, event));
      logger.warn('Pickup cancelled: the carrier did not answer in time', { shipmentId: result.shipmentId });
      metrics.addMetric('PickupTimedOut', MetricUnit.Count, 1);
      return result;
    },
    () => undefined,
  );
}
