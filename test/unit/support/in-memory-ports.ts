import type { LedgerEntry, PaymentLedger } from '../../../src/adapters/sandbox/payment-gateway';
import type { CatalogItem } from '../../../src/domain/catalog';
import {
  CallbackExpiredError,
  IllegalTransitionError,
  OrderNotFoundError,
  OutOfStockError,
  ShipmentNotFoundError,
} from '../../../src/domain/errors';
import type { Order, Payment, Refund } from '../../../src/domain/order';
import type { ShipmentRecord, ShipmentStatus, ShippingService } from '../../../src/domain/shipment';
import type { CarrierPickups, PickupRequest } from '../../../src/ports/carrier';
import type { ShipmentChange, ShipmentStore } from '../../../src/ports/shipment-store';
import type { Reservation, StockReservations } from '../../../src/ports/stock-reservations';
import type { TaskCallbacks } from '../../../src/ports/task-callbacks';
import type { SeenSignatures } from '../../../src/ports/seen-signatures';
import type { OrderStatus } from '../../../src/domain/status';
import type { Catalog } from '../../../src/ports/catalog';
import type { Notification, Notifier } from '../../../src/ports/notifier';
import type { OrderStore, PaymentAttemptCounter, StatusChange } from '../../../src/ports/order-store';
import type {
  Charge,
  ChargeRequest,
  PaymentGateway,
  RefundRequest,
  RefundResult,
} from '../../../src/ports/payment-gateway';
import type { Shipment } from '../../../src/domain/order';
import type { ShipmentRequest, ShippingProvider } from '../../../src/ports/shipping-provider';
import type { WorkflowInput, WorkflowStarter } from '../../../src/ports/workflow-starter';

/** An OrderStore with the same conditional semantics as the DynamoDB adapter, in a Map. */
export class InMemoryOrderStore implements OrderStore, PaymentAttemptCounter {
  readonly orders = new Map<string, Order>();
  transitions = 0;

  constructor(private readonly now = () => '2025-01-01T00:00:00.000Z') {}

  create(order: Order): Promise<void> {
    if (this.orders.has(order.orderId)) return Promise.reject(new Error(`duplicate ${order.orderId}`));
    this.orders.set(order.orderId, structuredClone(order));
    return Promise.resolve();
  }

  get(orderId: string): Promise<Order | undefined> {
    const order = this.orders.get(orderId);
    return Promise.resolve(order && structuredClone(order));
  }

  transition(orderId: string, from: readonly OrderStatus[], to: OrderStatus, change: StatusChange = {}) {
    const order = this.orders.get(orderId);
    if (!order) return Promise.reject(new OrderNotFoundError(orderId));
    if (!from.includes(order.status)) {
      if (order.status === to) return Promise.resolve(structuredClone(order));
      return Promise.reject(
        new IllegalTransitionError(`Order ${orderId} is ${order.status}; cannot move to ${to}`),
      );
    }
    this.transitions += 1;
    const at = this.now();
    const updated: Order = {
      ...order,
      ...change,
      status: to,
      updatedAt: at,
      history: [...order.history, { status: to, at }],
    };
    this.orders.set(orderId, updated);
    return Promise.resolve(structuredClone(updated));
  }

  recordRefund(
    orderId: string,
    charge: Pick<Payment, 'chargeId' | 'amount'>,
    refund: Refund,
  ): Promise<Order> {
    const order = this.orders.get(orderId);
    if (!order) return Promise.reject(new OrderNotFoundError(orderId));
    if (order.payment?.refund) return Promise.resolve(structuredClone(order));
    if (order.payment && order.payment.chargeId !== charge.chargeId) {
      return Promise.reject(new IllegalTransitionError(`Order ${orderId} was paid with another charge`));
    }
    const updated: Order = {
      ...order,
      payment: { chargeId: charge.chargeId, amount: charge.amount, refund },
    };
    this.orders.set(orderId, updated);
    return Promise.resolve(structuredClone(updated));
  }

  recordPaymentAttempt(orderId: string): Promise<number> {
    const order = this.orders.get(orderId);
    if (!order) return Promise.reject(new OrderNotFoundError(orderId));
    const attempts = (order.paymentAttempts ?? 0) + 1;
    this.orders.set(orderId, { ...order, paymentAttempts: attempts });
    return Promise.resolve(attempts);
  }
}

export class InMemoryCatalog implements Catalog {
  constructor(private readonly items: readonly CatalogItem[]) {}

  findBySkus(skus: readonly string[]): Promise<Map<string, CatalogItem>> {
    return Promise.resolve(
      new Map(this.items.filter((item) => skus.includes(item.sku)).map((item) => [item.sku, item])),
    );
  }
}

export class RecordingWorkflowStarter implements WorkflowStarter {
  readonly started: WorkflowInput[] = [];
  failWith: Error | undefined;

  start(input: WorkflowInput): Promise<string> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.started.push(input);
    return Promise.resolve(
      `arn:aws:states:us-east-1:123456789012:execution:order-processing-test-order:${input.orderId}`,
    );
  }
}

export class RecordingNotifier implements Notifier {
  readonly sent = new Map<string, Notification>();

  notify(notification: Notification): Promise<string> {
    const id = `${notification.orderId}#${notification.type}`;
    if (!this.sent.has(id)) this.sent.set(id, notification);
    return Promise.resolve(id);
  }
}

export class RecordingPaymentGateway implements PaymentGateway {
  readonly charges: ChargeRequest[] = [];
  failWith: Error | undefined;

  charge(request: ChargeRequest): Promise<Charge> {
    this.charges.push(request);
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({ chargeId: `ch_${request.orderId}`, amount: request.amount });
  }

  /** Charges the gateway made whose result the order never got (a lost write), by order id. */
  readonly unrecorded = new Map<string, Charge>();

  findCharge(orderId: string): Promise<Charge | undefined> {
    const charged = this.charges.find((request) => request.orderId === orderId);
    return Promise.resolve(
      this.unrecorded.get(orderId) ??
        (charged && !this.failWith ? { chargeId: `ch_${orderId}`, amount: charged.amount } : undefined),
    );
  }

  readonly refunds: RefundRequest[] = [];

  refund(request: RefundRequest): Promise<RefundResult> {
    this.refunds.push(request);
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({ refundId: `re_${request.chargeId}`, amount: request.amount });
  }
}

export class RecordingShippingProvider implements ShippingProvider {
  readonly requests: ShipmentRequest[] = [];
  failWith: Error | undefined;

  createShipment(request: ShipmentRequest): Promise<Shipment & { service: ShippingService }> {
    this.requests.push(request);
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({
      shipmentId: `shp_${request.orderId}`,
      trackingNumber: 'SBX000000000001',
      carrier: 'TEST',
      service: request.service,
    });
  }
}

/** A ShipmentStore with the DynamoDB adapter's conditional semantics, in a Map. */
export class InMemoryShipmentStore implements ShipmentStore {
  readonly shipments = new Map<string, ShipmentRecord>();

  create(shipment: ShipmentRecord): Promise<ShipmentRecord> {
    const stored = this.shipments.get(shipment.shipmentId);
    if (stored) return Promise.resolve(structuredClone(stored));
    this.shipments.set(shipment.shipmentId, structuredClone(shipment));
    return Promise.resolve(structuredClone(shipment));
  }

  get(shipmentId: string): Promise<ShipmentRecord | undefined> {
    const shipment = this.shipments.get(shipmentId);
    return Promise.resolve(shipment && structuredClone(shipment));
  }

  update(
    shipmentId: string,
    from: readonly ShipmentStatus[],
    to: ShipmentStatus,
    change: ShipmentChange = {},
  ): Promise<ShipmentRecord> {
    const shipment = this.shipments.get(shipmentId);
    if (!shipment) return Promise.reject(new ShipmentNotFoundError(shipmentId));
    if (!from.includes(shipment.status)) {
      return Promise.reject(
        new IllegalTransitionError(`Shipment ${shipmentId} is ${shipment.status}; cannot move to ${to}`),
      );
    }
    const { taskToken, ...rest } = shipment;
    const keptToken = change.taskToken ?? (to === 'AWAITING_PICKUP' ? taskToken : undefined);
    const updated: ShipmentRecord = {
      ...rest,
      ...(keptToken === undefined ? {} : { taskToken: keptToken }),
      status: to,
      events: change.event ? [...shipment.events, change.event] : shipment.events,
      updatedAt: '2025-01-01T00:00:01.000Z',
    };
    this.shipments.set(shipmentId, updated);
    return Promise.resolve(structuredClone(updated));
  }
}

/** Stock and reservations in Maps, with the DynamoDB adapter's rules (no overselling, idempotent per order and SKU). */
export class InMemoryStockReservations implements StockReservations {
  readonly reservations = new Map<string, Reservation>();

  constructor(readonly stock: Map<string, number>) {}

  reserve(reservation: Reservation): Promise<boolean> {
    const key = `${reservation.orderId}#${reservation.sku}`;
    if (this.reservations.has(key)) return Promise.resolve(false);
    const available = this.stock.get(reservation.sku) ?? 0;
    if (available < reservation.quantity) {
      return Promise.reject(new OutOfStockError(`${reservation.sku}: not enough stock`));
    }
    this.stock.set(reservation.sku, available - reservation.quantity);
    this.reservations.set(key, reservation);
    return Promise.resolve(true);
  }

  releaseAll(orderId: string): Promise<Reservation[]> {
    const released = [...this.reservations.entries()].filter(([, r]) => r.orderId === orderId);
    for (const [key, reservation] of released) {
      this.reservations.delete(key);
      this.stock.set(reservation.sku, (this.stock.get(reservation.sku) ?? 0) + reservation.quantity);
    }
    return Promise.resolve(released.map(([, reservation]) => reservation));
  }
}

export type SentCallback =
  | { kind: 'success'; taskToken: string; output: Record<string, unknown> }
  | { kind: 'failure'; taskToken: string; error: string; cause: string }
  | { kind: 'heartbeat'; taskToken: string };

/** Records the callbacks sent; `expired` tokens are refused as the workflow no longer waits on them. */
export class RecordingTaskCallbacks implements TaskCallbacks {
  readonly sent: SentCallback[] = [];
  readonly expired = new Set<string>();

  succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    return this.record({ kind: 'success', taskToken, output });
  }

  fail(taskToken: string, error: string, cause: string): Promise<void> {
    return this.record({ kind: 'failure', taskToken, error, cause });
  }

  heartbeat(taskToken: string): Promise<void> {
    return this.record({ kind: 'heartbeat', taskToken });
  }

  private record(callback: SentCallback): Promise<void> {
    if (this.expired.has(callback.taskToken)) {
      return Promise.reject(new CallbackExpiredError('The workflow no longer waits for this callback'));
    }
    this.sent.push(callback);
    return Promise.resolve();
  }
}

export class RecordingCarrierPickups implements CarrierPickups {
  readonly requests: PickupRequest[] = [];

  requestPickup(request: PickupRequest): Promise<void> {
    this.requests.push(request);
    return Promise.resolve();
  }
}

/** Seen webhook signatures in a Map, with the DynamoDB adapter's claim-once rule. */
export class InMemorySeenSignatures implements SeenSignatures {
  readonly seen = new Map<string, Date>();

  claim(signature: string, expiresAt: Date): Promise<boolean> {
    if (this.seen.has(signature)) return Promise.resolve(false);
    this.seen.set(signature, expiresAt);
    return Promise.resolve(true);
  }

  release(signature: string): Promise<void> {
    this.seen.delete(signature);
    return Promise.resolve();
  }
}

/** The sandbox payment processor's ledger in memory. */
export class InMemoryPaymentLedger implements PaymentLedger {
  readonly entries = new Map<string, LedgerEntry>();

  capture(entry: Pick<LedgerEntry, 'orderId' | 'chargeId' | 'amount'>): Promise<LedgerEntry> {
    const existing = this.entries.get(entry.orderId);
    if (existing) return Promise.resolve(existing);
    const captured = { ...entry, captures: 1 };
    this.entries.set(entry.orderId, captured);
    return Promise.resolve(captured);
  }

  find(orderId: string): Promise<LedgerEntry | undefined> {
    return Promise.resolve(this.entries.get(orderId));
  }

  refund(orderId: string, refundId: string): Promise<void> {
    const entry = this.entries.get(orderId);
    if (entry && entry.refundId === undefined) this.entries.set(orderId, { ...entry, refundId });
    return Promise.resolve();
  }
}
