import type { CarrierEventType } from '../domain/shipment';
import { signWebhookPayload } from '../domain/webhook-signature';
import type { CarrierWebhook } from '../ports/carrier-webhook';
import type { RecordCarrierEventResult } from './record-carrier-event';

export interface SandboxReportDeps {
  /** Our webhook, as the carrier reaches it. */
  readonly webhook: CarrierWebhook;
  /** The secret the carrier shares with us. */
  readonly webhookSecret: () => Promise<string>;
  readonly clock: () => Date;
}

/**
 * One report of the sandbox carrier (a step of its workflow, statemachines/carrier.asl.json): the event for the
 * shipment, signed as a real carrier signs (signWebhookPayload) and sent to our webhook.
 */
export async function sendSandboxReport(
  deps: SandboxReportDeps,
  shipmentId: string,
  type: CarrierEventType,
): Promise<RecordCarrierEventResult> {
  const now = deps.clock();
  const event =
    type === 'PICKUP_FAILED'
      ? { shipmentId, type, at: now.toISOString(), reason: 'Sandbox: nobody at the pickup address' }
      : { shipmentId, type, at: now.toISOString() };
  const body = JSON.stringify(event);
  const signature = signWebhookPayload(await deps.webhookSecret(), body, now);
  return deps.webhook.deliver({ shipmentId, signature, body });
}
