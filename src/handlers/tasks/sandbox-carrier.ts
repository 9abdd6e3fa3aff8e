import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { sendSandboxReport, type SandboxReportDeps } from '../../application/send-sandbox-report';
import { CARRIER_EVENT_TYPES } from '../../domain/shipment';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { nonEmptyString, orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({
  shipmentId: nonEmptyString(),
  orderId: orderIdSchema,
  type: z.enum(CARRIER_EVENT_TYPES),
});

/**
 * A step of the sandbox carrier's workflow (ReportScheduled, ReportPickup): {shipmentId, orderId, type}. Reports the
 * event through the webhook's application code and returns what the webhook recorded.
 */
export function makeSandboxCarrierHandler(deps: SandboxReportDeps) {
  return withObservability(async (event: unknown) => {
    const { shipmentId, type } = parseTaskInput('sandboxCarrier', input, event);
    const recorded = await sendSandboxReport(deps, shipmentId, type);
    logger.info('Sandbox carrier reported', { shipmentId, type });
    metrics.addMetric('SandboxCarrierReport', MetricUnit.Count, 1);
    return { shipmentId, type, recorded };
  }, orderIdField);
}
