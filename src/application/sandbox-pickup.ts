import type { CarrierEventType } from '../domain/shipment';
import { recordCarrierEvent, type RecordCarrierEventResult } from './record-carrier-event';
import type { ShipmentStore } from '../ports/shipment-store';
import type { TaskCallbacks } from '../ports/task-callbacks';

export interface SandboxPickupDeps {
  readonly shipments: ShipmentStore;
  readonly callbacks: TaskCallbacks;
  readonly clock: () => Date;
  readonly sleep: (milliseconds: number) => Promise<void>;
  /** How long the sandbox carrier takes to collect a parcel. */
  readonly pickupDelaySeconds: number;
}

/**
 * The sandbox carrier at work: reports its plan's events for the shipment through the same code as the real
 * webhook, the first at once and the last after the pickup delay, so the happy path completes unattended.
 */
export async function runSandboxPickup(
  deps: SandboxPickupDeps,
  shipmentId: string,
  plan: readonly CarrierEventType[],
): Promise<RecordCarrierEventResult[]> {
  const results: RecordCarrierEventResult[] = [];
  for (const [index, type] of plan.entries()) {
    if (index === plan.length - 1) await deps.sleep(deps.pickupDelaySeconds * 1000);
    const at = deps.clock().toISOString();
    const event =
      type === 'PICKUP_FAILED' ? { type, at, reason: 'Sandbox: nobody at the pickup address' } : { type, at };
    results.push(await recordCarrierEvent(deps, shipmentId, event));
  }
  return results;
}
