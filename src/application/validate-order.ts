import type { Money } from '../domain/money';
import { priceOrder, type OrderItem, type OrderLine } from '../domain/order';
import type { Catalog } from '../ports/catalog';
import type { OrderStore } from '../ports/order-store';

export interface ValidateOrderInput {
  readonly orderId: string;
  readonly items: readonly OrderItem[];
}

export interface ValidateOrderOutput {
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
}

/**
 * Checks every SKU against the catalog (ValidationError naming the SKU otherwise), prices the order from the
 * catalog and moves it PENDING -> VALIDATED with its lines and total. A retry after success returns the lines
 * stored the first time.
 */
export async function validateOrder(
  deps: { readonly orders: OrderStore; readonly catalog: Catalog },
  { orderId, items }: ValidateOrderInput,
): Promise<ValidateOrderOutput> {
  const catalog = await deps.catalog.findBySkus(items.map((item) => item.sku));
  const priced = priceOrder(items, catalog);
  const order = await deps.orders.transition(orderId, ['PENDING'], 'VALIDATED', priced);
  return { orderId, lines: order.lines ?? priced.lines, total: order.total ?? priced.total };
}
