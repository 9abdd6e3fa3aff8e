import type { CarrierEventType } from '../../domain/shipment';

/** The postal code whose pickup the sandbox carrier reports as failed (PICKUP_FAILED). */
export const PICKUP_FAILS_POSTAL_CODE = '99999';
/** The postal code the sandbox carrier never comes to: the workflow's pickup timeout fires. */
export const NEVER_COLLECTED_POSTAL_CODE = '99998';

/** What the sandbox carrier reports for one pickup: `first` at once, `last` after the pickup delay. */
export interface SandboxPickupPlan {
  readonly first: Extract<CarrierEventType, 'PICKUP_SCHEDULED'>;
  readonly last: Extract<CarrierEventType, 'PICKED_UP' | 'PICKUP_FAILED'>;
}

/**
 * What the sandbox carrier will report for a pickup at this postal code: PICKUP_SCHEDULED (a sign of life), then
 * PICKED_UP, or PICKUP_FAILED for 99999; nothing at all for 99998 (undefined: it never comes).
 */
export function sandboxPickupPlan(postalCode: string): SandboxPickupPlan | undefined {
  switch (postalCode) {
    case PICKUP_FAILS_POSTAL_CODE:
      return { first: 'PICKUP_SCHEDULED', last: 'PICKUP_FAILED' };
    case NEVER_COLLECTED_POSTAL_CODE:
      return undefined;
    default:
      return { first: 'PICKUP_SCHEDULED', last: 'PICKED_UP' };
  }
}
