import type { SavedItem } from '../domain/item';

/** Where accepted items are kept (the items table on AWS). */
export interface ItemStore {
  /** Writes the item; writing the same item again (a retried task) is harmless. */
  save(item: SavedItem): Promise<void>;
}
