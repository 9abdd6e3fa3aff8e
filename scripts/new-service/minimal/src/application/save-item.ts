import { acceptItem, type Item, type SavedItem } from '../domain/item';
import type { ItemStore } from '../ports/item-store';

export interface SaveItemDeps {
  readonly items: ItemStore;
  readonly clock: () => Date;
}

/** The workflow's task: applies the business rule (ItemRejectedError), then writes the item. */
export async function saveItem(
  deps: SaveItemDeps,
  item: Item,
): Promise<Pick<SavedItem, 'itemId' | 'savedAt'>> {
  const saved = acceptItem(item, deps.clock());
  await deps.items.save(saved);
  return { itemId: saved.itemId, savedAt: saved.savedAt };
}
