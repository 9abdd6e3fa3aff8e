import type { CarrierEventType } from '../domain/shipment';
import { signWebhookPayload } from '../domain/webhook-signature';
import type { CarrierWebhook } from '../ports/carrier-webhook';
import type { RecordCarrierEventResult } from './record-carrier-event';

export interface SandboxPickupDeps {
  /** Our webhook, as the carrier reaches it. */
  readonly webhook: CarrierWebhook;
  /** The secret the carrier shares with us. */
  readonly webhookSecret: () => Promise<string>;
  readonly clock: () => Date;
  readonly sleep: (milliseconds: number) => Promise<void>;
  /** How long the sandbox carrier takes to collect a parcel. */
  readonly pickupDelaySeconds: number;
}

/**
 * The sandbox carrier at work: sends its plan's events for the shipment to our webhook, each signed as a real
 * carrier signs (signWebhookPayload), the first at once and the last after the pickup delay, so the happy path
 * completes unattended.
 */
export async function runSandboxPickup(
  deps: SandboxPickupDeps,
  shipmentId: string,
  plan: readonly CarrierEventType[],
): Promise<RecordCarrierEventResult[]> {
  const results: RecordCarrierEventResult[] = [];
  for (const [index, type] of plan.entries()) {
    if (index === plan.length - 1) await deps.sleep(deps.pickupDelaySeconds * 1000);
    const now = deps.clock();
    const event =
      type === 'PICKUP_FAILED'
        ? { shipmentId, type, at: now.toISOString(), reason: 'Sandbox: nobody at the pickup address' }
        : { shipmentId, type, at: now.toISOString() };
    const body = JSON.stringify(event);
    const signature = signWebhookPayload(await deps.webhookSecret(), body, now);
    results.push(await deps.webhook.deliver({ shipmentId, signature, body }));
  }
  return results;
}
