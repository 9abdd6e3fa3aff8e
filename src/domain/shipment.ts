import type { Shipment, ShippingAddress } from './order';

/** How fast a parcel travels: the fulfilment workflow's ChooseService picks one from the order total. */
export const SHIPPING_SERVICES = ['STANDARD', 'EXPRESS'] as const;
export type ShippingService = (typeof SHIPPING_SERVICES)[number];

/**
 * A shipment's life with the carrier: booked (LABEL_CREATED), waiting for the carrier to collect it
 * (AWAITING_PICKUP, with the workflow's task token), then PICKED_UP, PICKUP_FAILED, or CANCELLED when the workflow
 * stopped waiting.
 */
export const SHIPMENT_STATUSES = [
  'LABEL_CREATED',
  'AWAITING_PICKUP',
  'PICKED_UP',
  'PICKUP_FAILED',
  'CANCELLED',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** What the carrier tells us through its webhook. PICKUP_SCHEDULED is a sign of life (a heartbeat). */
export const CARRIER_EVENT_TYPES = ['PICKUP_SCHEDULED', 'PICKED_UP', 'PICKUP_FAILED'] as const;
export type CarrierEventType = (typeof CARRIER_EVENT_TYPES)[number];

export interface CarrierEvent {
  readonly type: CarrierEventType;
  /** When it happened, per the carrier (ISO 8601). */
  readonly at: string;
  /** The carrier's free text, kept as data on the shipment; never shown to the customer. */
  readonly reason?: string;
}

/** A shipment as the shipments table keeps it. */
export interface ShipmentRecord extends Shipment {
  readonly orderId: string;
  /** Where the carrier collects from and delivers to (the carrier's booking holds it too). */
  readonly address?: ShippingAddress;
  readonly service: ShippingService;
  readonly status: ShipmentStatus;
  /** The fulfilment workflow's task token while it waits for the pickup. */
  readonly taskToken?: string;
  readonly events: readonly CarrierEvent[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The status a carrier event moves a shipment AWAITING_PICKUP to (a heartbeat leaves it where it is). */
export function statusAfter(type: CarrierEventType): ShipmentStatus {
  switch (type) {
    case 'PICKUP_SCHEDULED':
      return 'AWAITING_PICKUP';
    case 'PICKED_UP':
      return 'PICKED_UP';
    case 'PICKUP_FAILED':
      return 'PICKUP_FAILED';
  }
}
