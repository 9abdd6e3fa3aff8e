import { IllegalTransitionError } from '../domain/errors';
import type { CarrierPickups } from '../ports/carrier';
import type { ShipmentStore } from '../ports/shipment-store';

export interface RequestPickupInput {
  readonly taskToken: string;
  readonly orderId: string;
  readonly shipmentId: string;
}

/**
 * The callback step's first half: keeps the workflow's task token on the shipment (AWAITING_PICKUP) and asks the
 * carrier to collect from the address booked with the shipment. The workflow waits until the carrier's webhook
 * completes the token (recordCarrierEvent). A retried step stores its new token in place of the old one.
 */
export async function requestPickup(
  deps: { readonly shipments: ShipmentStore; readonly carrier: CarrierPickups },
  { taskToken, orderId, shipmentId }: RequestPickupInput,
): Promise<{ shipmentId: string; status: 'AWAITING_PICKUP' }> {
  const shipment = await deps.shipments.update(
    shipmentId,
    ['LABEL_CREATED', 'AWAITING_PICKUP'],
    'AWAITING_PICKUP',
    { taskToken },
  );
  if (!shipment.address) throw new IllegalTransitionError(`Shipment ${shipmentId} has no pickup address`);
  await deps.carrier.requestPickup({ shipmentId, orderId, address: shipment.address });
  return { shipmentId, status: 'AWAITING_PICKUP' };
}
