import type { CatalogItem } from '../domain/catalog';

/** Read access to the product catalog. */
export interface Catalog {
  /** The catalog items for the SKUs that exist; unknown SKUs are simply absent from the map. */
  findBySkus(skus: readonly string[]): Promise<Map<string, CatalogItem>>;
}
