import { OrderNotFoundError } from '../domain/errors';
import type { Money } from '../domain/money';
import { priceOrder, type OrderLine } from '../domain/order';
import type { Catalog } from '../ports/catalog';
import type { OrderStore } from '../ports/order-store';

export interface ValidateOrderInput {
  readonly orderId: string;
}

export interface ValidateOrderOutput {
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
}

/**
 * Reads the order's items from the order store (they are not in the execution input), checks every SKU against the
 * catalog (ValidationError naming the SKU otherwise), prices the order from the
 * catalog and moves it PENDING -> VALIDATED with its lines and total. A retry after success returns the lines
 * stored the first time.
 */
export async function validateOrder(
  deps: { readonly orders: OrderStore; readonly catalog: Catalog },
  { orderId }: ValidateOrderInput,
): Promise<ValidateOrderOutput> {
  const stored = await deps.orders.get(orderId);
  if (!stored) throw new OrderNotFoundError(orderId);
  const { items } = stored;
  const catalog = await deps.catalog.findBySkus(items.map((item) => item.sku));
  const priced = priceOrder(items, catalog);
  const order = await deps.orders.transition(orderId, ['PENDING'], 'VALIDATED', priced);
  return { orderId, lines: order.lines ?? priced.lines, total: order.total ?? priced.total };
}
