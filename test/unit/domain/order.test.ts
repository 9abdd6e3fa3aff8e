import { ValidationError } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import { failureFrom, pendingOrder, priceOrder } from '../../../src/domain/order';
import { CATALOG } from '../support/fixtures';

const catalog = new Map(CATALOG.map((item) => [item.sku, item]));

describe('pricing and validating an order', () => {
  it('prices each line from the catalog and totals the order', () => {
    const priced = priceOrder(
      [
        { sku: 'SKU-BOOK-001', quantity: 2 },
        { sku: 'SKU-MUG-002', quantity: 1 },
      ],
      catalog,
    );

    expect(priced.lines).toEqual([
      {
        sku: 'SKU-BOOK-001',
        name: 'Book',
        quantity: 2,
        unitPrice: money(2999, 'EUR'),
        lineTotal: money(5998, 'EUR'),
      },
      {
        sku: 'SKU-MUG-002',
        name: 'Mug',
        quantity: 1,
        unitPrice: money(1250, 'EUR'),
        lineTotal: money(1250, 'EUR'),
      },
    ]);
    expect(priced.total).toEqual(money(7248, 'EUR'));
  });

  it('accepts exactly the stock available', () => {
    expect(priceOrder([{ sku: 'SKU-LAMP-003', quantity: 2 }], catalog).total).toEqual(money(9800, 'EUR'));
  });

  it.each([
    ['an unknown SKU', [{ sku: 'SKU-NOPE-999', quantity: 1 }], 'SKU-NOPE-999: unknown SKU'],
    [
      'more than the stock',
      [{ sku: 'SKU-LAMP-003', quantity: 3 }],
      'SKU-LAMP-003: insufficient stock (requested 3, available 2)',
    ],
    [
      'an out-of-stock SKU',
      [{ sku: 'SKU-POSTER-004', quantity: 1 }],
      'SKU-POSTER-004: insufficient stock (requested 1, available 0)',
    ],
    [
      'a repeated SKU whose quantities together exceed the stock',
      [
        { sku: 'SKU-LAMP-003', quantity: 2 },
        { sku: 'SKU-LAMP-003', quantity: 1 },
      ],
      'SKU-LAMP-003: insufficient stock (requested 3, available 2)',
    ],
  ])('rejects %s with a ValidationError naming the SKU and why', (_label, items, reason) => {
    expect(() => priceOrder(items, catalog)).toThrow(ValidationError);
    expect(() => priceOrder(items, catalog)).toThrow(reason);
  });

  it('reports every invalid SKU at once', () => {
    const items = [
      { sku: 'SKU-NOPE-999', quantity: 1 },
      { sku: 'SKU-BOOK-001', quantity: 1 },
      { sku: 'SKU-POSTER-004', quantity: 1 },
    ];

    expect(() => priceOrder(items, catalog)).toThrow(
      'Order is invalid: SKU-NOPE-999: unknown SKU; SKU-POSTER-004: insufficient stock (requested 1, available 0)',
    );
  });

  it('rejects an order mixing currencies, naming the odd SKU', () => {
    const mixed = new Map(catalog);
    mixed.set('SKU-USD-1', { sku: 'SKU-USD-1', name: 'Import', unitPrice: money(500, 'USD'), stock: 5 });

    const order = [
      { sku: 'SKU-BOOK-001', quantity: 1 },
      { sku: 'SKU-USD-1', quantity: 1 },
    ];

    expect(() => priceOrder(order, mixed)).toThrow('SKU-USD-1: priced in USD, the order is in EUR');
  });

  it('rejects an order without items', () => {
    expect(() => priceOrder([], catalog)).toThrow(ValidationError);
  });
});

describe('a new order', () => {
  it('starts PENDING with its creation in the history', () => {
    const order = pendingOrder(
      {
        orderId: 'ord_1',
        customerId: 'c',
        items: [],
        shippingAddress: { name: 'n', line1: 'l', city: 'c', postalCode: '1', country: 'DE' },
      },
      '2025-01-01T00:00:00.000Z',
    );

    expect(order.status).toBe('PENDING');
    expect(order.history).toEqual([{ status: 'PENDING', at: '2025-01-01T00:00:00.000Z' }]);
    expect(order.createdAt).toBe(order.updatedAt);
  });
});

describe('the failure recorded from a workflow error', () => {
  it.each([
    ['ValidationError', 'One or more items are unknown or not in stock in the quantity ordered'],
    ['PaymentFailedError', 'The payment was declined'],
    ['PickupFailedError', 'The carrier could not collect the parcel'],
    ['PickupTimeoutError', 'The carrier did not confirm the pickup in time'],
    ['States.TaskFailed', 'The order could not be completed'],
    ['States.Timeout', 'The order could not be completed'],
  ])('shows the customer a fixed text for %s, never the cause', (error, text) => {
    expect(failureFrom(error)).toEqual({ error, cause: text });
  });
});
