import { ItemRejectedError } from './errors';

/** What a customer asks the service to process. */
export interface NewItem {
  readonly customerId: string;
  readonly name: string;
  readonly quantity: number;
}

export interface Item extends NewItem {
  readonly itemId: string;
}

/** The item as stored once the workflow accepted it. */
export interface SavedItem extends Item {
  readonly savedAt: string;
}

/** The largest quantity the business rule accepts (a stand-in for your own rule). */
export const MAX_QUANTITY = 100;

/** The business rule the workflow's task applies: an item over MAX_QUANTITY is rejected, for good. */
export function acceptItem(item: Item, now: Date): SavedItem {
  if (item.quantity > MAX_QUANTITY) {
    throw new ItemRejectedError(`Item ${item.itemId}: quantity ${item.quantity} is over ${MAX_QUANTITY}`);
  }
  return { ...item, savedAt: now.toISOString() };
}
