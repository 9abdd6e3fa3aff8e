import type { Money } from './money';

/** A sellable product as stored in the catalog; its price is the only price an order ever uses. */
export interface CatalogItem {
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: Money;
  readonly stock: number;
}
