import '../support/quiet-powertools';
import { makeValidateOrderHandler } from '../../../src/handlers/tasks/validate-order';
import { ServiceUnavailable, ValidationError } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import { anOrder, CATALOG, lambdaContext, ORDER_ID } from '../support/fixtures';
import { InMemoryCatalog, InMemoryOrderStore } from '../support/in-memory-ports';

async function setup(order = anOrder()) {
  const orders = new InMemoryOrderStore();
  await orders.create(order);
  const catalog = new InMemoryCatalog(CATALOG);
  const handler = makeValidateOrderHandler({ orders, catalog });
  return { orders, catalog, invoke: (event: unknown) => handler(event, lambdaContext()) };
}

describe('validateOrder task', () => {
  it('prices the order from the catalog, stores lines and total, and moves it to VALIDATED', async () => {
    const { invoke, orders } = await setup();

    const result = await invoke({ orderId: ORDER_ID });

    const line = {
      sku: 'SKU-BOOK-001',
      name: 'Book',
      quantity: 2,
      unitPrice: money(2999, 'EUR'),
      lineTotal: money(5998, 'EUR'),
    };
    expect(result).toEqual({ orderId: ORDER_ID, lines: [line], total: money(5998, 'EUR') });
    expect(await orders.get(ORDER_ID)).toMatchObject({
      status: 'VALIDATED',
      lines: [line],
      total: money(5998, 'EUR'),
      history: [{ status: 'PENDING' }, { status: 'VALIDATED' }],
    });
  });

  it('returns the same result and writes nothing when retried after success', async () => {
    const { invoke, orders } = await setup();
    const input = { orderId: ORDER_ID };

    const first = await invoke(input);
    const second = await invoke(input);

    expect(second).toEqual(first);
    expect(orders.transitions).toBe(1);
  });

  it.each([
    [[{ sku: 'SKU-NOPE-999', quantity: 1 }], 'SKU-NOPE-999: unknown SKU'],
    [[{ sku: 'SKU-LAMP-003', quantity: 3 }], 'SKU-LAMP-003: insufficient stock (requested 3, available 2)'],
    [[{ sku: 'SKU-POSTER-004', quantity: 1 }], 'SKU-POSTER-004: insufficient stock'],
  ])('throws ValidationError for %j and leaves the order PENDING', async (items, message) => {
    const { invoke, orders } = await setup(anOrder({ items }));

    const result = invoke({ orderId: ORDER_ID });

    await expect(result).rejects.toThrow(ValidationError);
    await expect(result).rejects.toThrow(message);
    expect((await orders.get(ORDER_ID))?.status).toBe('PENDING');
  });

  it('lets ServiceUnavailable from the catalog through for the workflow to retry', async () => {
    const { invoke, catalog } = await setup();
    catalog.findBySkus = () => Promise.reject(new ServiceUnavailable('throttled'));

    await expect(invoke({ orderId: ORDER_ID })).rejects.toThrow(ServiceUnavailable);
  });

  it.each([
    ['no orderId', { items: [{ sku: 'SKU-BOOK-001', quantity: 1 }] }],
    ['an orderId that is not a string', { orderId: 42 }],
    ['not an object', 'hello'],
  ])(
    'treats an input with %s as a programming error (plain Error, not ValidationError)',
    async (_label, input) => {
      const { invoke } = await setup();

      const result = invoke(input);

      await expect(result).rejects.toThrow('validateOrder received an invalid input');
      await expect(result).rejects.not.toBeInstanceOf(ValidationError);
    },
  );
});
