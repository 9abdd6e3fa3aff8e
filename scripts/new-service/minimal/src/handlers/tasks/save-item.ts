import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import '../../shared/zod-english';
import { saveItem, type SaveItemDeps } from '../../application/save-item';
import { logger, metrics } from '../../shared/powertools';
import { itemIdField, withObservability } from '../observability';

const nonEmpty = () => z.string().check(z.minLength(1));
const input = z.object({
  itemId: nonEmpty(),
  customerId: nonEmpty(),
  name: nonEmpty(),
  quantity: z.number().check(z.int(), z.positive()),
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
