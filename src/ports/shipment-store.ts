import type { CarrierEvent, ShipmentRecord, ShipmentStatus } from '../domain/shipment';

/** What a shipment update writes besides the status. */
export interface ShipmentChange {
  /** The task token to keep (while AWAITING_PICKUP); a move to any other status removes the stored token. */
  readonly taskToken?: string;
  /** Appended to the shipment's events. */
  readonly event?: CarrierEvent;
}

/** Persistence of shipments (the carrier's bookings). Every update is conditional on the expected status. */
export interface ShipmentStore {
  /** Stores a new shipment; storing the same shipment again is a no-op that returns the stored one. */
  create(shipment: ShipmentRecord): Promise<ShipmentRecord>;
  /** The shipment, or undefined. */
  get(shipmentId: string): Promise<ShipmentRecord | undefined>;
  /**
   * Moves the shipment from one of `from` to `to` with `change`, returning it as stored. Throws
   * ShipmentNotFoundError, or IllegalTransitionError when it is in another status.
   */
  update(
    shipmentId: string,
    from: readonly ShipmentStatus[],
    to: ShipmentStatus,
    change?: ShipmentChange,
  ): Promise<ShipmentRecord>;
}
