import type { CatalogItem } from './catalog';
import { ValidationError } from './errors';
import { customerFailureText } from './failure-text';
import { multiply, sum, type Money } from './money';
import type { PaymentMethod } from './payment-method';
import type { OrderStatus } from './status';

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
}

export interface ShippingAddress {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

/** A priced line: the unit price comes from the catalog, never from the client. */
export interface OrderLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly lineTotal: Money;
}

/** A refund of the whole charge, made by the saga when fulfilment fails after the payment. */
export interface Refund {
  readonly refundId: string;
  readonly amount: Money;
  readonly at: string;
}

export interface Payment {
  readonly chargeId: string;
  readonly amount: Money;
  readonly refund?: Refund;
}

export interface Shipment {
  readonly shipmentId: string;
  readonly trackingNumber: string;
  readonly carrier: string;
  /** STANDARD or EXPRESS (see ShippingService). */
  readonly service?: string;
}

export interface Failure {
  readonly error: string;
  readonly cause: string;
}

export interface HistoryEntry {
  readonly status: OrderStatus;
  readonly at: string;
}

export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly items: readonly OrderItem[];
  readonly shippingAddress: ShippingAddress;
  /** The card token until it is charged, then only its reference. Never shown by the API. */
  readonly paymentMethod?: PaymentMethod;
  readonly lines?: readonly OrderLine[];
  readonly total?: Money;
  readonly payment?: Payment;
  readonly shipment?: Shipment;
  readonly failure?: Failure;
  readonly history: readonly HistoryEntry[];
  readonly paymentAttempts?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly shippingAddress: ShippingAddress;
  readonly paymentMethod?: PaymentMethod;
}

/** A fresh PENDING order whose history starts with its creation. */
export function pendingOrder(input: NewOrder, now: string): Order {
  return {
    ...input,
    status: 'PENDING',
    history: [{ status: 'PENDING', at: now }],
    createdAt: now,
    updatedAt: now,
  };
}

export interface PricedOrder {
  readonly lines: OrderLine[];
  readonly total: Money;
}

/**
 * The validation rule and the pricing in one pass: every SKU must exist in the catalog and have stock for the
 * quantity ordered (quantities of a repeated SKU add up). All problems are reported together, each naming its
 * SKU, because the message is all that reaches the customer through the workflow.
 */
export function priceOrder(
  items: readonly OrderItem[],
  catalog: ReadonlyMap<string, CatalogItem>,
): PricedOrder {
  if (items.length === 0) throw new ValidationError('Order has no items');
  const requested = new Map<string, number>();
  for (const { sku, quantity } of items) requested.set(sku, (requested.get(sku) ?? 0) + quantity);

  const problems: string[] = [];
  for (const [sku, quantity] of requested) {
    const product = catalog.get(sku);
    if (!product) problems.push(`${sku}: unknown SKU`);
    else if (product.stock < quantity) {
      problems.push(`${sku}: insufficient stock (requested ${quantity}, available ${product.stock})`);
    }
  }
  // One order is charged in one currency; a catalog mixing currencies must not produce a mixed total.
  const currency = catalog.get(items[0]?.sku ?? '')?.unitPrice.currency;
  for (const sku of requested.keys()) {
    const price = catalog.get(sku)?.unitPrice;
    if (price && currency && price.currency !== currency) {
      problems.push(`${sku}: priced in ${price.currency}, the order is in ${currency}`);
    }
  }
  if (problems.length > 0 || !currency) throw new ValidationError(`Order is invalid: ${problems.join('; ')}`);

  const lines = items.map(({ sku, quantity }): OrderLine => {
    const product = catalog.get(sku) as CatalogItem; // present: checked above
    return {
      sku,
      name: product.name,
      quantity,
      unitPrice: product.unitPrice,
      lineTotal: multiply(product.unitPrice, quantity),
    };
  });
  return {
    lines,
    total: sum(
      lines.map((line) => line.lineTotal),
      currency,
    ),
  };
}

/**
 * The failure recorded on an order from a Step Functions Catch: the error's name and the fixed customer text for it.
 * The cause (a Lambda error JSON, a carrier's reason, a child execution's description) is not kept: it stays in the
 * execution history, where operators read it, and never reaches GET /orders or the customer's notification.
 */
export function failureFrom(error: string): Failure {
  return { error, cause: customerFailureText(error) };
}
