import {
  receiveCarrierWebhook,
  type ReceiveCarrierWebhookDeps,
} from '../../application/receive-carrier-webhook';
import type { RecordCarrierEventResult } from '../../application/record-carrier-event';
import type { CarrierWebhook, SignedCarrierRequest } from '../../ports/carrier-webhook';

/**
 * Our webhook as the sandbox carrier reaches it: the signed request goes through the same verification, replay check
 * and recording as POST /shipments/{shipmentId}/events, in this process rather than over HTTP.
 */
export class InProcessCarrierWebhook implements CarrierWebhook {
  constructor(private readonly deps: ReceiveCarrierWebhookDeps) {}

  deliver(request: SignedCarrierRequest): Promise<RecordCarrierEventResult> {
    return receiveCarrierWebhook(this.deps, request);
  }
}
