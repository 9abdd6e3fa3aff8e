import '../support/quiet-powertools';
import { makeShipOrderHandler } from '../../../src/handlers/tasks/ship-order';
import { IllegalTransitionError, ShippingFailedError } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import type { Order } from '../../../src/domain/order';
import { ADDRESS, anOrder, lambdaContext, ORDER_ID } from '../support/fixtures';
import { InMemoryOrderStore, RecordingShippingProvider } from '../support/in-memory-ports';

const lines = [
  {
    sku: 'SKU-BOOK-001',
    name: 'Book',
    quantity: 2,
    unitPrice: money(2999, 'EUR'),
    lineTotal: money(5998, 'EUR'),
  },
];

async function setup(order: Order = anOrder({ status: 'PAID' })) {
  const orders = new InMemoryOrderStore();
  await orders.create(order);
  const shipping = new RecordingShippingProvider();
  const handler = makeShipOrderHandler({ orders, shipping });
  return {
    orders,
    shipping,
    invoke: () => handler({ orderId: ORDER_ID, address: ADDRESS, lines }, lambdaContext()),
  };
}

describe('shipOrder task', () => {
  it('books the shipment, keeps it on the order and moves it to SHIPPED', async () => {
    const { invoke, orders, shipping } = await setup();

    const result = await invoke();

    const shipment = { shipmentId: `shp_${ORDER_ID}`, trackingNumber: 'SBX000000000001', carrier: 'TEST' };
    expect(result).toEqual({ orderId: ORDER_ID, ...shipment });
    expect(shipping.requests).toEqual([{ orderId: ORDER_ID, address: ADDRESS, lines }]);
    expect(await orders.get(ORDER_ID)).toMatchObject({ status: 'SHIPPED', shipment });
  });

  it('returns the stored shipment when retried after success, booking nothing new', async () => {
    const { invoke, shipping } = await setup();

    const first = await invoke();
    const second = await invoke();

    expect(second).toEqual(first);
    expect(shipping.requests).toHaveLength(1);
  });

  it('throws ShippingFailedError for an undeliverable address, leaving the order PAID', async () => {
    const { invoke, orders, shipping } = await setup();
    shipping.failWith = new ShippingFailedError('postal code 00000');

    await expect(invoke()).rejects.toThrow(ShippingFailedError);
    expect((await orders.get(ORDER_ID))?.status).toBe('PAID');
  });

  it('refuses to ship an order that is not paid', async () => {
    const { invoke, shipping } = await setup(anOrder({ status: 'VALIDATED' }));

    await expect(invoke()).rejects.toThrow(IllegalTransitionError);
    expect(shipping.requests).toHaveLength(0);
  });
});
