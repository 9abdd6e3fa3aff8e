import { ItemRejectedError } from '../../../src/domain/errors';
import { acceptItem, MAX_QUANTITY } from '../../../src/domain/item';

const item = { itemId: 'itm_1', customerId: 'cus_1', name: 'notebook', quantity: 2 };
const now = new Date('2025-01-01T00:00:00Z');

describe('acceptItem', () => {
  it.each([1, MAX_QUANTITY])('accepts a quantity of %i and stamps the time', (quantity) => {
    expect(acceptItem({ ...item, quantity }, now)).toEqual({
      ...item,
      quantity,
      savedAt: '2025-01-01T00:00:00.000Z',
    });
  });

  it('rejects a quantity over the limit with ItemRejectedError naming the item', () => {
    expect(() => acceptItem({ ...item, quantity: MAX_QUANTITY + 1 }, now)).toThrow(
      new ItemRejectedError(`Item itm_1: quantity ${MAX_QUANTITY + 1} is over ${MAX_QUANTITY}`),
    );
  });
});
