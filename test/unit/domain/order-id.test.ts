import { isOrderId, newOrderId } from '../../../src/domain/order-id';

describe('order ids', () => {
  it('are ord_ followed by a 26-character ULID', () => {
    expect(newOrderId()).toMatch(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isOrderId(newOrderId())).toBe(true);
  });

  it('encode the creation time first, so they sort by time', () => {
    const random = new Uint8Array(10);

    expect(newOrderId(0, random)).toBe('ord_00000000000000000000000000');
    expect(newOrderId(1_700_000_000_000, random) < newOrderId(1_700_000_000_001, random)).toBe(true);
  });

  it('differ between two calls in the same millisecond', () => {
    expect(newOrderId(1)).not.toBe(newOrderId(1));
  });

  it.each([
    '',
    'ord_',
    '01JDQ7Z8X9Y0ABCDEFGHJKMNPQ',
    'ord_01JDQ7Z8X9Y0ABCDEFGHJKMNP',
    'ord_01jdq7z8x9y0abcdefghjkmnpq',
    'ord_01JDQ7Z8X9Y0ABCDEFGHJKMNPU',
    '../etc/passwd',
  ])('rejects %j as an order id', (value) => {
    expect(isOrderId(value)).toBe(false);
  });
});
