import * as z from 'zod/mini';
import '../shared/zod-english';
import { UnauthorizedError, ValidationError } from '../domain/errors';
import { CARRIER_EVENT_TYPES } from '../domain/shipment';
import { SIGNATURE_TOLERANCE_SECONDS, verifyWebhookSignature } from '../domain/webhook-signature';
import type { SignedCarrierRequest } from '../ports/carrier-webhook';
import type { SeenSignatures } from '../ports/seen-signatures';
import type { ShipmentStore } from '../ports/shipment-store';
import type { TaskCallbacks } from '../ports/task-callbacks';
import { recordCarrierEvent, type RecordCarrierEventResult } from './record-carrier-event';

/**
 * The carrier's webhook body. It names its shipment, so the signature over the body binds the event to that
 * shipment: a signed event cannot be replayed against another shipment's URL, and two shipments' events sent in the
 * same second never share a signature. Other fields a carrier sends along are ignored.
 */
export const carrierEventBody = z.object({
  shipmentId: z.string().check(z.minLength(1), z.maxLength(100)),
  type: z.enum(CARRIER_EVENT_TYPES),
  at: z.optional(z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' })),
  reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
});

export interface ReceiveCarrierWebhookDeps {
  readonly shipments: ShipmentStore;
  readonly callbacks: TaskCallbacks;
  readonly seenSignatures: SeenSignatures;
  /** The shared secret (cached per container by the adapter). */
  readonly webhookSecret: () => Promise<string>;
  readonly clock: () => Date;
}

function parseEvent(body: string): z.infer<typeof carrierEventBody> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ValidationError('The request body is not valid JSON');
  }
  const result = carrierEventBody.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new ValidationError(`The carrier event is invalid: ${issues.join('; ')}`);
}

/**
 * A signed carrier event: checks the signature (UnauthorizedError: missing, malformed, stale or wrong) and refuses a
 * replayed one, all before anything is read or written; then records the event. A request that fails after its
 * signature was claimed gives the claim back, so the carrier's retry goes through.
 */
export async function receiveCarrierWebhook(
  deps: ReceiveCarrierWebhookDeps,
  request: SignedCarrierRequest,
): Promise<RecordCarrierEventResult> {
  const now = deps.clock();
  const signature = verifyWebhookSignature(await deps.webhookSecret(), request.signature, request.body, now);
  const event = parseEvent(request.body);
  if (event.shipmentId !== request.shipmentId) {
    throw new UnauthorizedError('The signed event is for another shipment than the one in the URL');
  }
  const expiresAt = new Date(now.getTime() + 2 * SIGNATURE_TOLERANCE_SECONDS * 1000);
  if (!(await deps.seenSignatures.claim(signature, expiresAt))) {
    throw new UnauthorizedError('This request was already received: its Carrier-Signature has been used');
  }
  try {
    return await recordCarrierEvent(deps, request.shipmentId, {
      type: event.type,
      at: event.at ?? now.toISOString(),
      ...(event.reason === undefined ? {} : { reason: event.reason }),
    });
  } catch (error) {
    await deps.seenSignatures.release(signature);
    throw error;
  }
}
