import type { ShipmentStatus } from '../domain/shipment';

/** What recording a carrier event answers: the shipment and its status now. */
export interface RecordCarrierEventResult {
  readonly shipmentId: string;
  readonly status: ShipmentStatus;
}

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
