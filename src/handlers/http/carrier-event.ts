import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  receiveCarrierWebhook,
  type ReceiveCarrierWebhookDeps,
} from '../../application/receive-carrier-webhook';
import { SIGNATURE_HEADER } from '../../domain/webhook-signature';
import { logger, metrics } from '../../shared/powertools';
import { withObservability } from '../observability';
import { httpErrorHandler } from './error-handler';
import { HttpError } from './http-error';
import { header, rawJsonBody } from './json-body';
import { jsonResponse } from './responses';

const SHIPMENT_ID = /^shp_[0-9a-f]{24}$/;

/**
 * POST /shipments/{shipmentId}/events: the carrier's webhook, open to the internet without a JWT, so every request
 * must carry a valid Carrier-Signature (HMAC-SHA256 of timestamp and body). 401 for a missing, wrong, stale (over 5
 * minutes) or replayed signature, before anything is read or written; then 200 {shipmentId, status} once the
 * fulfilment workflow was told, 404 for an unknown shipment, 409 when the shipment is not awaiting its pickup. A
 * repeated final event (newly signed) answers 200 again.
 */
export function makeCarrierEventHandler(deps: ReceiveCarrierWebhookDeps) {
  const lambdaHandler = async (event: APIGatewayProxyEventV2) => {
    const body = rawJsonBody(event);
    const signature = header(event, SIGNATURE_HEADER) ?? '';
    const shipmentId = event.pathParameters?.shipmentId ?? '';
    if (!SHIPMENT_ID.test(shipmentId)) {
      throw new HttpError(400, 'ValidationError', 'shipmentId must be "shp_" followed by 24 hex digits', [
        { field: 'shipmentId', message: 'not a shipment id' },
      ]);
    }
    const result = await receiveCarrierWebhook(deps, { shipmentId, signature, body });
    logger.info('Carrier event recorded', { shipmentId, status: result.status });
    metrics.addMetric('CarrierEventReceived', MetricUnit.Count, 1);
    return jsonResponse(200, result);
  };
  return withObservability(lambdaHandler, () => undefined).use(httpErrorHandler());
}
