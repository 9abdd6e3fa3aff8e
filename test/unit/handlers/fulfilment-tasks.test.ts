import '../support/quiet-powertools';
import { IllegalTransitionError, OutOfStockError, ShippingFailedError } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import type { ShipmentRecord } from '../../../src/domain/shipment';
import { makeCancelPickupHandler } from '../../../src/handlers/tasks/cancel-pickup';
import { makeCreateShipmentHandler } from '../../../src/handlers/tasks/create-shipment';
import { makeReleaseStockHandler } from '../../../src/handlers/tasks/release-stock';
import { makeRequestPickupHandler } from '../../../src/handlers/tasks/request-pickup';
import { makeReserveStockHandler } from '../../../src/handlers/tasks/reserve-stock';
import { makeSendOrderConfirmationHandler } from '../../../src/handlers/tasks/send-order-confirmation';
import { ADDRESS, anOrder, lambdaContext, ORDER_ID } from '../support/fixtures';
import {
  InMemoryOrderStore,
  InMemoryShipmentStore,
  InMemoryStockReservations,
  RecordingCarrierPickups,
  RecordingNotifier,
  RecordingShippingProvider,
} from '../support/in-memory-ports';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const SHIPMENT_ID = `shp_${ORDER_ID}`;
const lines = [
  {
    sku: 'SKU-BOOK-001',
    name: 'Book',
    quantity: 2,
    unitPrice: money(2999, 'EUR'),
    lineTotal: money(5998, 'EUR'),
  },
];

function aShipment(overrides: Partial<ShipmentRecord> = {}): ShipmentRecord {
  return {
    shipmentId: SHIPMENT_ID,
    orderId: ORDER_ID,
    trackingNumber: 'SBX000000000001',
    carrier: 'TEST',
    service: 'STANDARD',
    status: 'LABEL_CREATED',
    address: ADDRESS,
    events: [],
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...overrides,
  };
}

describe('reserveStock task (ReserveItem)', () => {
  it('reserves the line and takes it out of stock, once however often it is retried', async () => {
    const stock = new InMemoryStockReservations(new Map([['SKU-LAMP-003', 2]]));
    const handler = makeReserveStockHandler({ stock });
    const event = { orderId: ORDER_ID, sku: 'SKU-LAMP-003', quantity: 2 };

    const first = await handler(event, lambdaContext());
    const again = await handler(event, lambdaContext());

    expect(first).toEqual({ orderId: ORDER_ID, sku: 'SKU-LAMP-003', reserved: 2 });
    expect(again).toEqual(first);
    expect(stock.stock.get('SKU-LAMP-003')).toBe(0);
  });

  it('throws OutOfStockError when the stock is short, taking nothing', async () => {
    const stock = new InMemoryStockReservations(new Map([['SKU-LAMP-003', 1]]));
    const handler = makeReserveStockHandler({ stock });

    await expect(
      handler({ orderId: ORDER_ID, sku: 'SKU-LAMP-003', quantity: 2 }, lambdaContext()),
    ).rejects.toThrow(OutOfStockError);
    expect(stock.stock.get('SKU-LAMP-003')).toBe(1);
  });

  it('refuses an input the ASL should never build, with a plain Error', async () => {
    const handler = makeReserveStockHandler({ stock: new InMemoryStockReservations(new Map()) });

    const invalid = handler({ orderId: ORDER_ID, sku: 'SKU-LAMP-003', quantity: 0 }, lambdaContext());

    await expect(invalid).rejects.toThrow('reserveStock received an invalid input');
  });
});

describe('releaseStock task', () => {
  it('puts every reserved unit of the order back and reports it; a repeat releases nothing', async () => {
    const stock = new InMemoryStockReservations(
      new Map([
        ['SKU-LAMP-003', 2],
        ['SKU-MUG-002', 5],
      ]),
    );
    await stock.reserve({ orderId: ORDER_ID, sku: 'SKU-LAMP-003', quantity: 2 });
    await stock.reserve({ orderId: ORDER_ID, sku: 'SKU-MUG-002', quantity: 1 });
    const handler = makeReleaseStockHandler({ stock });

    const first = await handler({ orderId: ORDER_ID }, lambdaContext());
    const again = await handler({ orderId: ORDER_ID }, lambdaContext());

    expect(first).toEqual({
      orderId: ORDER_ID,
      released: [
        { sku: 'SKU-LAMP-003', quantity: 2 },
        { sku: 'SKU-MUG-002', quantity: 1 },
      ],
    });
    expect(again).toEqual({ orderId: ORDER_ID, released: [] });
    expect(Object.fromEntries(stock.stock)).toEqual({ 'SKU-LAMP-003': 2, 'SKU-MUG-002': 5 });
  });
});

describe('createShipment task', () => {
  function setup() {
    const orders = new InMemoryOrderStore();
    orders.orders.set(ORDER_ID, anOrder({ status: 'PAID' }));
    const shipping = new RecordingShippingProvider();
    const shipments = new InMemoryShipmentStore();
    const handler = makeCreateShipmentHandler({ orders, shipping, shipments, clock: () => NOW });
    // No address in the input: the handler reads it from the order.
    const invoke = () => handler({ orderId: ORDER_ID, lines, service: 'EXPRESS' }, lambdaContext());
    return { shipping, shipments, invoke };
  }

  it('books the shipment with the chosen service and stores it as LABEL_CREATED', async () => {
    const { invoke, shipping, shipments } = setup();

    const result = await invoke();

    expect(result).toEqual({
      orderId: ORDER_ID,
      shipmentId: SHIPMENT_ID,
      trackingNumber: 'SBX000000000001',
      carrier: 'TEST',
      service: 'EXPRESS',
    });
    expect(shipping.requests).toEqual([{ orderId: ORDER_ID, address: ADDRESS, lines, service: 'EXPRESS' }]);
    expect(await shipments.get(SHIPMENT_ID)).toEqual(
      aShipment({ service: 'EXPRESS', createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() }),
    );
  });

  it('keeps the stored shipment when retried after the carrier already collected it', async () => {
    const { invoke, shipments } = setup();
    await shipments.create(aShipment({ service: 'EXPRESS', status: 'PICKED_UP' }));

    await invoke();

    expect((await shipments.get(SHIPMENT_ID))?.status).toBe('PICKED_UP');
  });

  it('passes ShippingFailedError on and stores nothing', async () => {
    const { invoke, shipping, shipments } = setup();
    shipping.failWith = new ShippingFailedError('postal code 00000');

    await expect(invoke()).rejects.toThrow(ShippingFailedError);
    expect(shipments.shipments.size).toBe(0);
  });
});

describe('sendOrderConfirmation task', () => {
  it.each([
    ['EXPRESS', 'by express delivery'],
    ['STANDARD', 'with our next standard collection'],
  ])('queues one ORDER_CONFIRMED message for %s', async (service, wording) => {
    const orders = new InMemoryOrderStore();
    orders.orders.set(ORDER_ID, anOrder({ status: 'PAID' }));
    const notifier = new RecordingNotifier();
    const handler = makeSendOrderConfirmationHandler({ orders, notifier });

    // No customer in the input: the handler reads it from the order.
    const result = await handler({ orderId: ORDER_ID, service }, lambdaContext());
    await handler({ orderId: ORDER_ID, service }, lambdaContext());

    expect(result).toEqual({ orderId: ORDER_ID, notificationId: `${ORDER_ID}#ORDER_CONFIRMED` });
    expect([...notifier.sent.values()]).toEqual([
      expect.objectContaining({ orderId: ORDER_ID, type: 'ORDER_CONFIRMED', customerId: 'cust-1' }),
    ]);
    expect(notifier.sent.get(`${ORDER_ID}#ORDER_CONFIRMED`)?.body).toContain(wording);
  });
});

describe('requestPickup task (the callback)', () => {
  function setup(shipment = aShipment()) {
    const shipments = new InMemoryShipmentStore();
    shipments.shipments.set(shipment.shipmentId, shipment);
    const carrier = new RecordingCarrierPickups();
    const handler = makeRequestPickupHandler({ shipments, carrier });
    const invoke = (taskToken: string) =>
      handler({ taskToken, orderId: ORDER_ID, shipmentId: SHIPMENT_ID }, lambdaContext());
    return { shipments, carrier, invoke };
  }

  it('stores the task token on the shipment, AWAITING_PICKUP, then asks the carrier to collect', async () => {
    const { invoke, shipments, carrier } = setup();

    const result = await invoke('token-1');

    expect(result).toEqual({ shipmentId: SHIPMENT_ID, status: 'AWAITING_PICKUP' });
    expect(await shipments.get(SHIPMENT_ID)).toMatchObject({
      status: 'AWAITING_PICKUP',
      taskToken: 'token-1',
    });
    expect(carrier.requests).toEqual([{ shipmentId: SHIPMENT_ID, orderId: ORDER_ID, address: ADDRESS }]);
  });

  it('replaces the token when the step is retried', async () => {
    const { invoke, shipments } = setup();

    await invoke('token-1');
    await invoke('token-2');

    expect((await shipments.get(SHIPMENT_ID))?.taskToken).toBe('token-2');
  });

  it('refuses a shipment that was already collected, asking the carrier nothing', async () => {
    const { invoke, carrier } = setup(aShipment({ status: 'PICKED_UP' }));

    await expect(invoke('token-1')).rejects.toThrow(IllegalTransitionError);
    expect(carrier.requests).toEqual([]);
  });
});

describe('cancelPickup task', () => {
  it('marks a shipment awaiting its pickup CANCELLED and forgets the token; a repeat is a no-op', async () => {
    const shipments = new InMemoryShipmentStore();
    shipments.shipments.set(SHIPMENT_ID, aShipment({ status: 'AWAITING_PICKUP', taskToken: 'token-1' }));
    const handler = makeCancelPickupHandler({ shipments });

    const first = await handler({ shipmentId: SHIPMENT_ID }, lambdaContext());
    const again = await handler({ shipmentId: SHIPMENT_ID }, lambdaContext());

    expect(first).toEqual({ shipmentId: SHIPMENT_ID, status: 'CANCELLED' });
    expect(again).toEqual(first);
    const stored = await shipments.get(SHIPMENT_ID);
    expect(stored?.status).toBe('CANCELLED');
    expect(stored).not.toHaveProperty('taskToken');
  });
});
