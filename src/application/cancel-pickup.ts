import type { ShipmentStatus } from '../domain/shipment';
import type { ShipmentStore } from '../ports/shipment-store';

/**
 * The pickup timed out: marks the shipment CANCELLED and forgets its token, so a late carrier webhook is refused
 * instead of reaching a token nobody waits on. Safe to repeat.
 */
export async function cancelPickup(
  deps: { readonly shipments: ShipmentStore },
  { shipmentId }: { readonly shipmentId: string },
): Promise<{ shipmentId: string; status: ShipmentStatus }> {
  const current = await deps.shipments.get(shipmentId);
  if (current?.status === 'CANCELLED') return { shipmentId, status: current.status };
  const cancelled = await deps.shipments.update(
    shipmentId,
    ['LABEL_CREATED', 'AWAITING_PICKUP'],
    'CANCELLED',
  );
  return { shipmentId, status: cancelled.status };
}
