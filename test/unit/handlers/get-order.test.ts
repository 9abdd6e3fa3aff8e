import '../support/quiet-powertools';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeGetOrderHandler } from '../../../src/handlers/http/get-order';
import { money } from '../../../src/domain/money';
import { anOrder, authorizedAs, lambdaContext, ORDER_ID } from '../support/fixtures';
import { InMemoryOrderStore } from '../support/in-memory-ports';

async function getOrder(
  orderId: string,
  orders = new InMemoryOrderStore(),
  customerId: string | null = 'cust-1',
) {
  const handler = makeGetOrderHandler({ orders });
  const response = await handler(
    {
      pathParameters: { orderId },
      ...(customerId === null ? {} : authorizedAs(customerId)),
    } as unknown as APIGatewayProxyEventV2,
    lambdaContext(),
  );
  return { statusCode: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

describe('GET /orders/{orderId}', () => {
  it('answers 200 with status, items, total, history, payment and shipment', async () => {
    const orders = new InMemoryOrderStore();
    const total = money(5998, 'EUR');
    await orders.create(
      anOrder({
        status: 'SHIPPED',
        total,
        payment: { chargeId: 'ch_1', amount: total },
        shipment: { shipmentId: 'shp_1', trackingNumber: 'SBX1', carrier: 'SANDBOX-POST' },
        paymentAttempts: 1,
      }),
    );

    const { statusCode, body } = await getOrder(ORDER_ID, orders);

    expect(statusCode).toBe(200);
    expect(body).toMatchObject({
      orderId: ORDER_ID,
      status: 'SHIPPED',
      items: [{ sku: 'SKU-BOOK-001', quantity: 2 }],
      total,
      history: [{ status: 'PENDING', at: '2025-01-01T00:00:00.000Z' }],
      payment: { chargeId: 'ch_1', amount: total },
      shipment: { shipmentId: 'shp_1', trackingNumber: 'SBX1', carrier: 'SANDBOX-POST' },
    });
    expect(body).not.toHaveProperty('paymentAttempts');
    expect(body).not.toHaveProperty('failure');
  });

  it('shows the shipping service, and the refund of a compensated order', async () => {
    const orders = new InMemoryOrderStore();
    const total = money(5998, 'EUR');
    const refund = { refundId: 're_1', amount: total, at: '2025-01-01T00:00:05.000Z' };
    await orders.create(
      anOrder({
        status: 'FAILED',
        payment: { chargeId: 'ch_1', amount: total, refund },
        shipment: {
          shipmentId: 'shp_1',
          trackingNumber: 'SBX1',
          carrier: 'SANDBOX-POST',
          service: 'EXPRESS',
        },
      }),
    );

    const { body } = await getOrder(ORDER_ID, orders);

    expect(body).toMatchObject({
      payment: { chargeId: 'ch_1', amount: total, refund },
      shipment: { service: 'EXPRESS' },
    });
  });

  it('includes the failure of a failed order', async () => {
    const orders = new InMemoryOrderStore();
    await orders.create(
      anOrder({ status: 'FAILED', failure: { error: 'ValidationError', cause: 'SKU-X: unknown SKU' } }),
    );

    const { body } = await getOrder(ORDER_ID, orders);

    expect(body.failure).toEqual({ error: 'ValidationError', cause: 'SKU-X: unknown SKU' });
  });

  it('answers 404 when the order does not exist', async () => {
    const { statusCode, body } = await getOrder(ORDER_ID);

    expect(statusCode).toBe(404);
    expect(body).toEqual({ error: 'NotFound', message: `Order ${ORDER_ID} does not exist` });
  });

  it.each(['123', 'ord_short', 'ORD_01JDQ7Z8X9Y0ABCDEFGHJKMNPQ', ''])(
    'answers 400 for %j, which cannot be an order id',
    async (id) => {
      const { statusCode, body } = await getOrder(id);

      expect(statusCode).toBe(400);
      expect(body.issues).toEqual([{ field: 'orderId', message: 'not an order id' }]);
    },
  );

  it("answers 404 for another customer's order, exactly as for an unknown one", async () => {
    const orders = new InMemoryOrderStore();
    await orders.create(anOrder());
    const unknown = 'ord_01JDQ7Z8X9Y0ABCDEFGHJKMNPR';

    const theirs = await getOrder(ORDER_ID, orders, 'cust-2');
    const missing = await getOrder(unknown, orders, 'cust-2');

    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toEqual({ error: 'NotFound', message: `Order ${ORDER_ID} does not exist` });
    expect(missing.body).toEqual({ error: 'NotFound', message: `Order ${unknown} does not exist` });
  });

  it('answers 401 without a verified customer token', async () => {
    const orders = new InMemoryOrderStore();
    await orders.create(anOrder());

    const { statusCode, body } = await getOrder(ORDER_ID, orders, null);

    expect(statusCode).toBe(401);
    expect(body.error).toBe('Unauthorized');
  });

  it('never shows the card token or the payment method', async () => {
    const orders = new InMemoryOrderStore();
    await orders.create(anOrder({ paymentMethod: { reference: 'pm_0123', token: 'tok_visa' } }));

    const { body } = await getOrder(ORDER_ID, orders);

    expect(JSON.stringify(body)).not.toMatch(/tok_visa|pm_0123/);
  });
});
