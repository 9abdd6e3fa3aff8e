import type { RecordCarrierEventResult } from '../application/record-carrier-event';

/** A webhook request as the carrier sends it: the raw body and its Carrier-Signature header. */
export interface SignedCarrierRequest {
  readonly shipmentId: string;
  readonly signature: string;
  readonly body: string;
}

/** Where a carrier delivers its signed events (our webhook). */
export interface CarrierWebhook {
  deliver(request: SignedCarrierRequest): Promise<RecordCarrierEventResult>;
}
