import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { recordCarrierEvent } from '../../application/record-carrier-event';
import { CARRIER_EVENT_TYPES } from '../../domain/shipment';
import type { ShipmentStore } from '../../ports/shipment-store';
import type { TaskCallbacks } from '../../ports/task-callbacks';
import { logger, metrics } from '../../shared/powertools';
import { withObservability } from '../observability';
import { httpErrorHandler } from './error-handler';
import { HttpError, parseRequest } from './http-error';
import { parseJsonBody } from './json-body';
import { jsonResponse } from './responses';

const SHIPMENT_ID = /^shp_[0-9a-f]{24}$/;

/** The carrier's webhook body. Other fields a carrier sends along are ignored. */
export const carrierEventBody = z.object({
  type: z.enum(CARRIER_EVENT_TYPES),
  at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  reason: z.string().trim().min(1).max(500).optional(),
});

/**
 * POST /shipments/{shipmentId}/events: the carrier's webhook. 200 {shipmentId, status} once the fulfilment workflow
 * was told; 404 for an unknown shipment; 409 when the shipment is not awaiting its pickup (or the workflow stopped
 * waiting). A repeated final event answers 200 again.
 */
export function makeCarrierEventHandler(deps: {
  readonly shipments: ShipmentStore;
  readonly callbacks: TaskCallbacks;
  readonly clock: () => Date;
}) {
  const lambdaHandler = async (event: APIGatewayProxyEventV2) => {
    const shipmentId = event.pathParameters?.shipmentId ?? '';
    if (!SHIPMENT_ID.test(shipmentId)) {
      throw new HttpError(400, 'ValidationError', 'shipmentId must be "shp_" followed by 24 hex digits', [
        { field: 'shipmentId', message: 'not a shipment id' },
      ]);
    }
    const body = parseRequest(carrierEventBody, parseJsonBody(event));
    const result = await recordCarrierEvent(deps, shipmentId, {
      type: body.type,
      at: body.at ?? deps.clock().toISOString(),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
    });
    logger.info('Carrier event recorded', { shipmentId, type: body.type, status: result.status });
    metrics.addMetric('CarrierEventReceived', MetricUnit.Count, 1);
    return jsonResponse(200, result);
  };
  return withObservability(lambdaHandler, () => undefined).use(httpErrorHandler());
}
