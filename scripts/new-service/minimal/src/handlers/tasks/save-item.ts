import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { saveItem, type SaveItemDeps } from '../../application/save-item';
import { logger, metrics } from '../../shared/powertools';
import { itemIdField, withObservability } from '../observability';

const input = z.object({
  itemId: z.string().min(1),
  customerId: z.string().min(1),
  name: z.string().min(1),
  quantity: z.number().int().positive(),
});

/** State SaveItem: {itemId, customerId, name, quantity} -> {itemId, savedAt}; ItemRejectedError over the limit. */
export function makeSaveItemHandler(deps: SaveItemDeps) {
  return withObservability(async (event: unknown) => {
    const parsed = input.safeParse(event);
    // The ASL builds this input, so a mismatch is a programming error: a plain Error, caught by States.ALL.
    if (!parsed.success)
      throw new Error(`saveItem received an invalid input: ${z.prettifyError(parsed.error)}`);
    const result = await saveItem(deps, parsed.data);
    logger.info('Item saved', { savedAt: result.savedAt });
    metrics.addMetric('ItemSaved', MetricUnit.Count, 1);
    return result;
  }, itemIdField);
}
