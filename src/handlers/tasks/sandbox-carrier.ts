import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { runSandboxPickup, type SandboxPickupDeps } from '../../application/sandbox-pickup';
import type { CarrierEventType } from '../../domain/shipment';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { nonEmptyString, orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({ shipmentId: nonEmptyString(), orderId: orderIdSchema, postalCode: z.string() });

/**
 * The sandbox carrier (invoked asynchronously by requestPickup): reports the pickup's events for the postal code
 * through the webhook's application code, the last one after the pickup delay.
 */
export function makeSandboxCarrierHandler(
  deps: SandboxPickupDeps & {
    /** What the carrier will report for a postal code (the sandbox's scenarios). */
    readonly planFor: (postalCode: string) => CarrierEventType[];
  },
) {
  return withObservability(async (event: unknown) => {
    const { shipmentId, postalCode } = parseTaskInput('sandboxCarrier', input, event);
    const plan = deps.planFor(postalCode);
    logger.info('Sandbox carrier on its way', { shipmentId, plan, delaySeconds: deps.pickupDelaySeconds });
    metrics.addMetric('SandboxPickup', MetricUnit.Count, 1);
    return { shipmentId, events: await runSandboxPickup(deps, shipmentId, plan) };
  }, orderIdField);
}
