import '../support/quiet-powertools';
import { makeSaveItemHandler } from '../../../src/handlers/tasks/save-item';
import { InMemoryItemStore, lambdaContext } from '../support/fixtures';

const input = { itemId: 'itm_1', customerId: 'cus_1', name: 'notebook', quantity: 2 };
const clock = () => new Date('2025-01-01T00:00:00Z');

describe('SaveItem task', () => {
  it('writes the item and returns its id and time', async () => {
    const items = new InMemoryItemStore();

    const result = await makeSaveItemHandler({ items, clock })(input, lambdaContext());

    expect(result).toEqual({ itemId: 'itm_1', savedAt: '2025-01-01T00:00:00.000Z' });
    expect(items.items.get('itm_1')).toEqual({ ...input, savedAt: '2025-01-01T00:00:00.000Z' });
  });

  it('throws ItemRejectedError, which the workflow catches, and writes nothing for a quantity over the limit', async () => {
    const items = new InMemoryItemStore();

    await expect(
      makeSaveItemHandler({ items, clock })({ ...input, quantity: 101 }, lambdaContext()),
    ).rejects.toMatchObject({
      name: 'ItemRejectedError',
    });
    expect(items.items.size).toBe(0);
  });

  it('throws a plain Error for an input the ASL should never build', async () => {
    const handler = makeSaveItemHandler({ items: new InMemoryItemStore(), clock });

    await expect(handler({ itemId: 'itm_1' }, lambdaContext())).rejects.toMatchObject({ name: 'Error' });
  });
});
