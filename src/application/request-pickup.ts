import type { ShippingAddress } from '../domain/order';
import type { CarrierPickups } from '../ports/carrier';
import type { ShipmentStore } from '../ports/shipment-store';

export interface RequestPickupInput {
  readonly taskToken: string;
  readonly orderId: string;
  readonly shipmentId: string;
  readonly address: ShippingAddress;
}

/**
 * The callback step's first half: keeps the workflow's task token on the shipment (AWAITING_PICKUP) and asks the
 * carrier to collect. The workflow waits until the carrier's webhook completes the token (recordCarrierEvent). A
 * retried step stores its new token in place of the old one.
 */
export async function requestPickup(
  deps: { readonly shipments: ShipmentStore; readonly carrier: CarrierPickups },
  { taskToken, orderId, shipmentId, address }: RequestPickupInput,
): Promise<{ shipmentId: string; status: 'AWAITING_PICKUP' }> {
  await deps.shipments.update(shipmentId, ['LABEL_CREATED', 'AWAITING_PICKUP'], 'AWAITING_PICKUP', {
    taskToken,
  });
  await deps.carrier.requestPickup({ shipmentId, orderId, address });
  return { shipmentId, status: 'AWAITING_PICKUP' };
}
