import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
} from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { e2e } from './support/env';
import {
  bearer,
  getOrder,
  orderBody,
  postOrder,
  waitForExecutionEnd,
  waitForTerminalOrder,
} from './support/orders-api';

// Each test runs whole workflows on a slow shared machine; these bounds are generous on purpose.
jest.setTimeout(120_000);

async function executionCount(): Promise<number> {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await e2e.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: e2e.stateMachineArn, maxResults: 100, nextToken }),
    );
    count += page.executions?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
}

async function placeOrder(overrides: Record<string, unknown> = {}) {
  const accepted = await postOrder(orderBody(overrides));
  // The whole answer in the diff when it is not a 202.
  expect({ status: accepted.status, body: accepted.json }).toMatchObject({ status: 202 });
  const order = await waitForTerminalOrder(String(accepted.json.orderId));
  // The order turns SHIPPED or FAILED one state before the execution ends.
  await waitForExecutionEnd(String(accepted.json.executionArn));
  return { accepted, order };
}

afterAll(() => {
  e2e.sfn.destroy();
  e2e.dynamodb.destroy();
});

describe('POST /orders to the end of the workflow', () => {
  it('ships a tok_visa order: 202 with Location, then SHIPPED with a charge and a tracking number', async () => {
    const { accepted, order } = await placeOrder();

    expect(accepted.json).toMatchObject({
      status: 'PENDING',
      executionArn: expect.stringContaining(':execution:'),
    });
    expect(accepted.headers.get('location')).toBe(`/orders/${String(accepted.json.orderId)}`);
    expect(order.status).toBe('SHIPPED');
    expect(order.history.map((h) => h.status)).toEqual(['PENDING', 'VALIDATED', 'PAID', 'SHIPPED']);
    expect(order.payment?.chargeId).toBeTruthy();
    expect(order.shipment?.trackingNumber).toBeTruthy();
    expect(order.total).toEqual({ amount: 2999, currency: 'EUR' });
  });

  it('describes the execution through the SDK: SUCCEEDED with the shipment as output', async () => {
    const { accepted, order } = await placeOrder();

    const execution = await e2e.sfn.send(
      new DescribeExecutionCommand({ executionArn: String(accepted.json.executionArn) }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.name).toBe(order.orderId);
    expect(JSON.parse(execution.output ?? 'null')).toMatchObject({
      orderId: order.orderId,
      trackingNumber: order.shipment?.trackingNumber,
    });
  });

  it('records AWS history events through the SDK, in order and reversible', async () => {
    const { accepted } = await placeOrder();
    const executionArn = String(accepted.json.executionArn);

    const history = await e2e.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const reversed = await e2e.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    const types = history.events?.map((event) => event.type) ?? [];
    const entered = history.events?.flatMap((e) =>
      e.stateEnteredEventDetails ? [e.stateEnteredEventDetails.name] : [],
    );

    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types).toContain('LambdaFunctionScheduled');
    expect(types).toContain('LambdaFunctionSucceeded');
    expect(entered).toEqual([
      'ValidateOrder',
      'ProcessPayment',
      'ShipOrder',
      'RecordShipment',
      'OrderShipped',
    ]);
    expect(types).toContain('TaskSucceeded'); // ShipOrder: the fulfilment child, startExecution.sync:2
    expect(reversed.events?.map((event) => event.id)).toEqual(
      history.events?.map((event) => event.id).reverse(),
    );
  });

  it.each([
    ['tok_declined', 'PaymentFailedError', 1],
    ['tok_processing_error', 'PaymentProcessingError', 4],
    ['tok_unavailable', 'ServiceUnavailable', 4],
  ])('fails a %s order with %s after %i payment attempt(s)', async (token, error, attempts) => {
    const { accepted, order } = await placeOrder({ payment: { token } });

    expect(order.status).toBe('FAILED');
    expect(order.failure?.error).toBe(error);
    const execution = await e2e.sfn.send(
      new DescribeExecutionCommand({ executionArn: String(accepted.json.executionArn) }),
    );
    expect(execution).toMatchObject({ status: 'FAILED', error });
    const history = await e2e.sfn.send(
      new GetExecutionHistoryCommand({ executionArn: String(accepted.json.executionArn), maxResults: 1000 }),
    );
    const paymentAttempts = history.events?.filter(
      (e) =>
        e.type === 'LambdaFunctionScheduled' &&
        e.lambdaFunctionScheduledEventDetails?.resource?.includes('processPayment'),
    );
    expect(paymentAttempts).toHaveLength(attempts);
  });

  it('ships a tok_flaky order after two retried payment failures', async () => {
    const { accepted, order } = await placeOrder({ payment: { token: 'tok_flaky' } });

    expect(order.status).toBe('SHIPPED');
    const history = await e2e.sfn.send(
      new GetExecutionHistoryCommand({ executionArn: String(accepted.json.executionArn), maxResults: 1000 }),
    );
    const failures = history.events?.filter((e) => e.type === 'LambdaFunctionFailed') ?? [];
    expect(failures.map((e) => e.lambdaFunctionFailedEventDetails?.error)).toEqual([
      'PaymentProcessingError',
      'PaymentProcessingError',
    ]);
  });

  // The customer reads a fixed text per error; the cause naming the SKU stays in the execution for operators.
  it.each([
    ['an unknown SKU (the API checks only shape)', 'SKU-NOPE-999', 1],
    ['an order over stock', 'SKU-LAMP-003', 3],
  ])(
    'accepts %s and fails it in ValidateOrder, the execution naming the SKU',
    async (_case, sku, quantity) => {
      const { accepted, order } = await placeOrder({ items: [{ sku, quantity }] });

      expect(order.status).toBe('FAILED');
      expect(order.failure).toEqual({
        error: 'ValidationError',
        cause: 'One or more items are unknown or not in stock in the quantity ordered',
      });
      const execution = await e2e.sfn.send(
        new DescribeExecutionCommand({ executionArn: String(accepted.json.executionArn) }),
      );
      expect(execution).toMatchObject({
        error: 'ValidationError',
        cause: expect.stringContaining(sku) as unknown,
      });
    },
  );

  it('fails an undeliverable address in ShipOrder with ShippingFailedError, and refunds the charge', async () => {
    const address = { name: 'Nobody', line1: 'Nowhere 0', city: 'Void', postalCode: '00000', country: 'GB' };
    const { order } = await placeOrder({ shippingAddress: address });

    expect(order.failure?.error).toBe('ShippingFailedError');
    expect(order.payment?.refund).toBeDefined();
  });
});

describe('POST /orders rejects bad requests and starts nothing', () => {
  const oversized = JSON.stringify(orderBody({ padding: 'x'.repeat(70 * 1024) }));

  it.each([
    {
      bad: 'a missing field',
      body: JSON.stringify(orderBody({ payment: undefined })),
      type: 'application/json',
      status: 400,
    },
    {
      bad: 'a zero quantity',
      body: JSON.stringify(orderBody({ items: [{ sku: 'SKU-BOOK-001', quantity: 0 }] })),
      type: 'application/json',
      status: 400,
    },
    {
      bad: 'a customerId in the body (the customer is the token)',
      body: JSON.stringify(orderBody({ customerId: 'cus_someone_else' })),
      type: 'application/json',
      status: 400,
    },
    { bad: 'malformed JSON', body: '{"items":', type: 'application/json', status: 400 },
    { bad: 'a body over 64 KB', body: oversized, type: 'application/json', status: 413 },
    { bad: 'a form post', body: 'items=1', type: 'application/x-www-form-urlencoded', status: 415 },
  ])('answers $bad with $status', async ({ body, type: contentType, status: expectedStatus }) => {
    const before = await executionCount();

    const response = await fetch(`${e2e.apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: await bearer() },
      body,
    });

    expect(response.status).toBe(expectedStatus);
    expect(await response.json()).toEqual(
      expect.objectContaining({ error: expect.any(String), message: expect.any(String) }),
    );
    expect(await executionCount()).toBe(before);
  });

  it('names each bad field and why', async () => {
    const response = await postOrder(orderBody({ items: [{ sku: 'book', quantity: -1 }] }));

    expect(response.status).toBe(400);
    const fields = (response.json.issues as { field: string }[]).map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['items.0.sku', 'items.0.quantity']));
  });
});

describe('Idempotency-Key', () => {
  it('answers a retry with the same key and body with the same order and starts one execution', async () => {
    const key = randomUUID();
    const before = await executionCount();

    const first = await postOrder(orderBody(), { 'Idempotency-Key': key });
    const second = await postOrder(orderBody(), { 'Idempotency-Key': key });

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json).toEqual(first.json);
    expect(await executionCount()).toBe(before + 1);
  });

  it('answers 422 when the key is reused with another body', async () => {
    const key = randomUUID();
    await postOrder(orderBody(), { 'Idempotency-Key': key });

    const reused = await postOrder(orderBody({ items: [{ sku: 'SKU-MUG-002', quantity: 1 }] }), {
      'Idempotency-Key': key,
    });

    expect(reused.status).toBe(422);
  });
});

describe('GET /orders/{orderId}', () => {
  it('answers 404 for an order that does not exist and 400 for an id that cannot be one', async () => {
    expect((await getOrder('ord_01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
    expect((await getOrder('not-an-order')).status).toBe(400);
  });
});
