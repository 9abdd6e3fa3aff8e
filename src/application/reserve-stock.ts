import type { StockReservations } from '../ports/stock-reservations';

export interface ReserveStockInput {
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
}

export interface ReserveStockOutput {
  readonly orderId: string;
  readonly sku: string;
  readonly reserved: number;
}

/**
 * Reserves one line's quantity (a ReserveStock Map iteration). Throws OutOfStockError when the stock is short; a
 * retry after success reserves nothing more.
 */
export async function reserveStock(
  deps: { readonly stock: StockReservations },
  { orderId, sku, quantity }: ReserveStockInput,
): Promise<ReserveStockOutput> {
  await deps.stock.reserve({ orderId, sku, quantity });
  return { orderId, sku, reserved: quantity };
}
