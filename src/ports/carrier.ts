import type { ShippingAddress } from '../domain/order';

export interface PickupRequest {
  readonly shipmentId: string;
  readonly orderId: string;
  readonly address: ShippingAddress;
}

/**
 * Asks the carrier to collect a parcel. The answer comes later, through the carrier's webhook
 * (POST /shipments/{shipmentId}/events), not from this call.
 */
export interface CarrierPickups {
  requestPickup(request: PickupRequest): Promise<void>;
}
