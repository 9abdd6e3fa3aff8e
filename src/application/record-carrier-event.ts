import { IllegalTransitionError, ShipmentNotFoundError } from '../domain/errors';
import { statusAfter, type CarrierEvent } from '../domain/shipment';
import type { ShipmentStore } from '../ports/shipment-store';
import type { RecordCarrierEventResult } from '../ports/carrier-webhook';
import type { TaskCallbacks } from '../ports/task-callbacks';

export type { RecordCarrierEventResult };

/**
 * The carrier's news about a pickup (from its webhook, or the sandbox carrier): completes the fulfilment
 * workflow's waiting task — PICKUP_SCHEDULED sends a heartbeat, PICKED_UP succeeds it with the pickup time,
 * PICKUP_FAILED fails it with PickupFailedError — then records the event on the shipment. The token is completed
 * first, so a failed write leaves the shipment AWAITING_PICKUP for the carrier's retry rather than a workflow
 * that waits forever.
 *
 * A repeated final event is answered with the shipment as it is; an event for a shipment that is not awaiting
 * its pickup is an IllegalTransitionError, and CallbackExpiredError means the workflow stopped waiting.
 */
export async function recordCarrierEvent(
  deps: { readonly shipments: ShipmentStore; readonly callbacks: TaskCallbacks },
  shipmentId: string,
  event: CarrierEvent,
): Promise<RecordCarrierEventResult> {
  const shipment = await deps.shipments.get(shipmentId);
  if (!shipment) throw new ShipmentNotFoundError(shipmentId);
  const to = statusAfter(event.type);
  if (shipment.status !== 'AWAITING_PICKUP' || shipment.taskToken === undefined) {
    if (shipment.status === to) return { shipmentId, status: shipment.status };
    throw new IllegalTransitionError(
      `Shipment ${shipmentId} is ${shipment.status}: a ${event.type} event is not expected`,
    );
  }
  switch (event.type) {
    case 'PICKUP_SCHEDULED':
      await deps.callbacks.heartbeat(shipment.taskToken);
      break;
    case 'PICKED_UP':
      await deps.callbacks.succeed(shipment.taskToken, { shipmentId, pickedUpAt: event.at });
      break;
    case 'PICKUP_FAILED':
      await deps.callbacks.fail(
        shipment.taskToken,
        'PickupFailedError',
        `The carrier could not collect shipment ${shipmentId}: ${event.reason ?? 'no reason given'}`,
      );
      break;
  }
  const updated = await deps.shipments.update(shipmentId, ['AWAITING_PICKUP'], to, { event });
  return { shipmentId, status: updated.status };
}
