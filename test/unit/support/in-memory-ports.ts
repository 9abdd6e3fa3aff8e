import type { CatalogItem } from '../../../src/domain/catalog';
import { IllegalTransitionError, OrderNotFoundError } from '../../../src/domain/errors';
import type { Order } from '../../../src/domain/order';
import type { OrderStatus } from '../../../src/domain/status';
import type { Catalog } from '../../../src/ports/catalog';
import type { Notification, Notifier } from '../../../src/ports/notifier';
import type { OrderStore, PaymentAttemptCounter, StatusChange } from '../../../src/ports/order-store';
import type { Charge, ChargeRequest, PaymentGateway } from '../../../src/ports/payment-gateway';
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
}

export class RecordingShippingProvider implements ShippingProvider {
  readonly requests: ShipmentRequest[] = [];
  failWith: Error | undefined;

  createShipment(request: ShipmentRequest): Promise<Shipment> {
    this.requests.push(request);
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({
      shipmentId: `shp_${request.orderId}`,
      trackingNumber: 'SBX000000000001',
      carrier: 'TEST',
    });
  }
}
