import type { StockReservations } from '../ports/stock-reservations';

export interface ReleaseStockOutput {
  readonly orderId: string;
  /** What this call put back (empty when it was released before, or never reserved). */
  readonly released: { readonly sku: string; readonly quantity: number }[];
}

/** Compensation: gives back every unit reserved for the order. Safe to repeat. */
export async function releaseStock(
  deps: { readonly stock: StockReservations },
  { orderId }: { readonly orderId: string },
): Promise<ReleaseStockOutput> {
  const released = await deps.stock.releaseAll(orderId);
  return { orderId, released: released.map(({ sku, quantity }) => ({ sku, quantity })) };
}
