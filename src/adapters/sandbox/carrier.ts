import type { CarrierEventType } from '../../domain/shipment';

/** The postal code whose pickup the sandbox carrier reports as failed (PICKUP_FAILED). */
export const PICKUP_FAILS_POSTAL_CODE = '99999';
/** The postal code the sandbox carrier never comes to: the workflow's pickup timeout fires. */
export const NEVER_COLLECTED_POSTAL_CODE = '99998';

/**
 * What the sandbox carrier will report for a pickup at this postal code, in order: first PICKUP_SCHEDULED (a sign
 * of life), then, after the pickup delay, PICKED_UP, or PICKUP_FAILED for 99999; nothing at all for 99998.
 */
export function sandboxPickupPlan(postalCode: string): CarrierEventType[] {
  switch (postalCode) {
    case PICKUP_FAILS_POSTAL_CODE:
      return ['PICKUP_SCHEDULED', 'PICKUP_FAILED'];
    case NEVER_COLLECTED_POSTAL_CODE:
      return [];
    default:
      return ['PICKUP_SCHEDULED', 'PICKED_UP'];
  }
}
