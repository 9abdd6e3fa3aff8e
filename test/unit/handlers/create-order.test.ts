import '../support/quiet-powertools';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CreateOrderResult } from '../../../src/application/create-order';
import { makeCreateOrderHandler } from '../../../src/handlers/http/create-order';
import { isOrderId } from '../../../src/domain/order-id';
import { ServiceUnavailable } from '../../../src/domain/errors';
import { logger } from '../../../src/shared/powertools';
import { ADDRESS, authorizedAs, lambdaContext } from '../support/fixtures';
import { InMemoryIdempotencyStore } from '../support/in-memory-idempotency';
import { InMemoryOrderStore, RecordingWorkflowStarter } from '../support/in-memory-ports';

const validBody = {
  items: [{ sku: 'SKU-BOOK-001', quantity: 2 }],
  payment: { token: 'tok_visa' },
  shippingAddress: ADDRESS,
};

function setup({ responseIncludesExecutionArn = true } = {}) {
  const orders = new InMemoryOrderStore();
  const workflow = new RecordingWorkflowStarter();
  const idempotencyStore = new InMemoryIdempotencyStore<CreateOrderResult>();
  let sequence = 0;
  const handler = makeCreateOrderHandler({
    orders,
    workflow,
    idempotencyStore,
    newOrderId: () => `ord_01JDQ7Z8X9Y0ABCDEFGHJKMN${String(sequence++).padStart(2, '0')}`,
    clock: () => new Date('2025-01-01T00:00:00.000Z'),
    responseIncludesExecutionArn,
  });
  const invoke = (event: Partial<APIGatewayProxyEventV2>, customerId: string | null = 'cust-1') =>
    handler(
      {
        headers: { 'content-type': 'application/json' },
        ...(customerId === null ? {} : authorizedAs(customerId)),
        ...event,
      } as APIGatewayProxyEventV2,
      lambdaContext(),
    );
  return { orders, workflow, idempotencyStore, invoke };
}

function post(body: unknown, headers: Record<string, string> = {}): Partial<APIGatewayProxyEventV2> {
  return { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Holds the workflow's start until released, so a second request can arrive while the first is running. */
function holdWorkflowStart(workflow: RecordingWorkflowStarter) {
  const start = workflow.start.bind(workflow);
  let reachedStart!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reachedStart = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  workflow.start = async (input) => {
    reachedStart();
    await released;
    return start(input);
  };
  return { reached, release };
}

function parse(body: string | undefined): Record<string, unknown> {
  return JSON.parse(body ?? 'null') as Record<string, unknown>;
}

describe('POST /orders', () => {
  it('answers 202 with the order id, status and execution, and a Location header', async () => {
    const { invoke } = setup();

    const response = await invoke(post(validBody));

    const body = parse(response.body);
    expect(response.statusCode).toBe(202);
    expect(body).toEqual({
      orderId: expect.any(String) as unknown,
      status: 'PENDING',
      executionArn: expect.stringContaining(':execution:') as unknown,
    });
    expect(isOrderId(body.orderId as string)).toBe(true);
    expect(response.headers).toMatchObject({
      Location: `/orders/${String(body.orderId)}`,
      'Content-Type': 'application/json',
    });
  });

  it('stores the order PENDING and starts the workflow named after it with the contract input', async () => {
    const { invoke, orders, workflow } = setup();

    const body = parse((await invoke(post(validBody))).body);

    const orderId = body.orderId as string;
    expect(orders.orders.get(orderId)).toMatchObject({
      orderId,
      status: 'PENDING',
      customerId: 'cust-1',
      items: validBody.items,
      shippingAddress: ADDRESS,
      paymentMethod: { reference: expect.stringMatching(/^pm_[0-9a-f]{24}$/), token: 'tok_visa' },
      history: [{ status: 'PENDING', at: '2025-01-01T00:00:00.000Z' }],
    });
    // Nothing personal and no card token in the execution input: the order id and the payment method's reference.
    expect(workflow.started).toEqual([
      { orderId, paymentMethod: orders.orders.get(orderId)?.paymentMethod?.reference },
    ]);
  });

  it('accepts a base64-encoded body and a content type with a charset', async () => {
    const { invoke } = setup();

    const response = await invoke({
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: Buffer.from(JSON.stringify(validBody)).toString('base64'),
      isBase64Encoded: true,
    });

    expect(response.statusCode).toBe(202);
  });

  it.each([
    ['a zero quantity', { items: [{ sku: 'SKU-BOOK-001', quantity: 0 }] }, 'items.0.quantity'],
    ['a quantity over 100', { items: [{ sku: 'SKU-BOOK-001', quantity: 101 }] }, 'items.0.quantity'],
    ['a fractional quantity', { items: [{ sku: 'SKU-BOOK-001', quantity: 1.5 }] }, 'items.0.quantity'],
    ['a malformed SKU', { items: [{ sku: 'book-1', quantity: 1 }] }, 'items.0.sku'],
    ['no items', { items: [] }, 'items'],
    [
      '51 items',
      { items: Array.from({ length: 51 }, (_, i) => ({ sku: `SKU-A-${i}`, quantity: 1 })) },
      'items',
    ],
    [
      'a duplicate SKU',
      {
        items: [
          { sku: 'SKU-A', quantity: 1 },
          { sku: 'SKU-A', quantity: 2 },
        ],
      },
      'items.1.sku',
    ],
    ['a client-sent price', { items: [{ sku: 'SKU-A', quantity: 1, unitPrice: 1 }] }, 'items.0'],
    ['a customerId (the token says who the customer is)', { customerId: 'cust-2' }, 'customerId'],
    ['a bad payment token', { payment: { token: '4242424242424242' } }, 'payment.token'],
    [
      'a country that is not ISO alpha-2',
      { shippingAddress: { ...ADDRESS, country: 'Germany' } },
      'shippingAddress.country',
    ],
    ['a non-country code', { shippingAddress: { ...ADDRESS, country: 'EU' } }, 'shippingAddress.country'],
    ['a former country', { shippingAddress: { ...ADDRESS, country: 'YU' } }, 'shippingAddress.country'],
    ['an empty city', { shippingAddress: { ...ADDRESS, city: '  ' } }, 'shippingAddress.city'],
  ])('rejects %s with 400 naming the field, writing and starting nothing', async (_label, change, field) => {
    const { invoke, orders, workflow } = setup();

    const response = await invoke(post({ ...validBody, ...change }));

    const body = parse(response.body);
    expect(response.statusCode).toBe(400);
    expect(body.error).toBe('ValidationError');
    expect(body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(orders.orders.size).toBe(0);
    expect(workflow.started).toHaveLength(0);
  });

  it('answers 401 without a verified customer token, writing and starting nothing', async () => {
    const { invoke, orders, workflow } = setup();

    const response = await invoke(post(validBody), null);

    expect(response.statusCode).toBe(401);
    expect(parse(response.body)).toMatchObject({ error: 'Unauthorized' });
    expect(orders.orders.size).toBe(0);
    expect(workflow.started).toHaveLength(0);
  });

  it('takes the customer from the token', async () => {
    const { invoke, orders } = setup();

    const body = parse((await invoke(post(validBody), 'cognito-sub-7')).body);

    expect(orders.orders.get(body.orderId as string)?.customerId).toBe('cognito-sub-7');
  });

  it('leaves the execution ARN (it names the account) out of the 202 unless configured', async () => {
    const { invoke } = setup({ responseIncludesExecutionArn: false });

    const body = parse((await invoke(post(validBody))).body);

    expect(Object.keys(body)).toEqual(['orderId', 'status']);
  });

  it('scopes an Idempotency-Key to the customer: the same key from two customers makes two orders', async () => {
    const { invoke, orders } = setup();

    const first = parse((await invoke(post(validBody, { 'Idempotency-Key': 'k' }), 'cust-1')).body);
    const second = parse((await invoke(post(validBody, { 'Idempotency-Key': 'k' }), 'cust-2')).body);

    expect(first.orderId).not.toBe(second.orderId);
    expect(orders.orders.get(second.orderId as string)?.customerId).toBe('cust-2');
  });

  it('rejects malformed JSON with 400', async () => {
    const { invoke } = setup();

    const response = await invoke({
      headers: { 'content-type': 'application/json' },
      body: '{"customerId":',
    });

    expect(response.statusCode).toBe(400);
    expect(parse(response.body)).toEqual({
      error: 'MalformedJson',
      message: 'The request body is not valid JSON',
    });
  });

  it('rejects a body over 64 KB with 413', async () => {
    const { invoke, orders } = setup();

    const response = await invoke(post({ ...validBody, padding: 'x'.repeat(64 * 1024) }));

    expect(response.statusCode).toBe(413);
    expect(orders.orders.size).toBe(0);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['no Content-Type', {}],
  ])('rejects %s with 415', async (_label, headers) => {
    const { invoke } = setup();

    const response = await invoke({ headers, body: JSON.stringify(validBody) });

    expect(response.statusCode).toBe(415);
    expect(parse(response.body).error).toBe('UnsupportedMediaType');
  });

  describe('with an Idempotency-Key', () => {
    it('answers a repeat with the same order and identical response, creating nothing new', async () => {
      const { invoke, orders, workflow } = setup();

      const first = await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));
      const second = await invoke(post(validBody, { 'idempotency-key': 'key-1' }));

      expect(first.statusCode).toBe(202);
      expect(second).toEqual(first);
      expect(orders.orders.size).toBe(1);
      expect(workflow.started).toHaveLength(1);
    });

    it('treats the same body with keys in another order as the same request', async () => {
      const { invoke, orders } = setup();
      const reordered = {
        shippingAddress: ADDRESS,
        payment: validBody.payment,
        items: validBody.items,
      };

      await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));
      const second = await invoke(post(reordered, { 'Idempotency-Key': 'key-1' }));

      expect(second.statusCode).toBe(202);
      expect(orders.orders.size).toBe(1);
    });

    it('answers 422 when the key is reused with a different body', async () => {
      const { invoke, orders, workflow } = setup();

      await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));
      const response = await invoke(
        post({ ...validBody, payment: { token: 'tok_flaky' } }, { 'Idempotency-Key': 'key-1' }),
      );

      expect(response.statusCode).toBe(422);
      expect(parse(response.body).error).toBe('IdempotencyKeyReused');
      expect(orders.orders.size).toBe(1);
      expect(workflow.started).toHaveLength(1);
    });

    it('creates separate orders for different keys', async () => {
      const { invoke, orders } = setup();

      await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));
      await invoke(post(validBody, { 'Idempotency-Key': 'key-2' }));

      expect(orders.orders.size).toBe(2);
    });

    it('answers 409 while the first request with the key is still running, which then succeeds', async () => {
      const { invoke, orders, workflow } = setup();
      const firstStarting = holdWorkflowStart(workflow);

      const first = invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));
      await firstStarting.reached;
      const second = await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));
      firstStarting.release();

      expect(second.statusCode).toBe(409);
      expect(parse(second.body)).toEqual({
        error: 'Conflict',
        message: 'A request with this Idempotency-Key is in progress',
      });
      expect((await first).statusCode).toBe(202);
      expect(orders.orders.size).toBe(1);
    });

    it('answers 422, not 409, when the key is reused with another body while the first is running', async () => {
      const { invoke, workflow } = setup();
      const firstStarting = holdWorkflowStart(workflow);

      const first = invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));
      await firstStarting.reached;
      const second = await invoke(
        post({ ...validBody, payment: { token: 'tok_flaky' } }, { 'Idempotency-Key': 'key-1' }),
      );
      firstStarting.release();

      expect(second.statusCode).toBe(422);
      expect((await first).statusCode).toBe(202);
    });

    it('answers 503 with Retry-After, creating nothing, when the idempotency store fails', async () => {
      const { invoke, orders, idempotencyStore } = setup();
      idempotencyStore.claim = () => Promise.reject(new Error('AccessDeniedException'));

      const response = await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));

      expect(response.statusCode).toBe(503);
      expect(response.headers).toMatchObject({ 'Retry-After': '5' });
      expect(orders.orders.size).toBe(0);
    });

    it('answers 202 and logs an error when the order exists but its key could not be recorded', async () => {
      const { invoke, orders, idempotencyStore } = setup();
      idempotencyStore.complete = () => Promise.reject(new Error('ProvisionedThroughputExceededException'));
      const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

      const response = await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));

      expect(response.statusCode).toBe(202);
      expect(orders.orders.size).toBe(1);
      expect(logged).toHaveBeenCalledWith(
        'Order created, but its Idempotency-Key record could not be completed',
        expect.objectContaining({ error: expect.any(Error) }),
      );
      logged.mockRestore();
    });

    it('rejects a key that is not printable ASCII with 400', async () => {
      const { invoke } = setup();

      const response = await invoke(post(validBody, { 'Idempotency-Key': 'has space' }));

      expect(response.statusCode).toBe(400);
    });
  });

  it('marks the order FAILED and answers 503 when the workflow cannot be started', async () => {
    const { invoke, orders, workflow } = setup();
    workflow.failWith = new ServiceUnavailable('Step Functions StartExecution failed transiently');

    const response = await invoke(post(validBody));

    expect(response.statusCode).toBe(503);
    expect(parse(response.body)).toEqual({
      error: 'ServiceUnavailable',
      message: 'The service is temporarily unavailable; please retry',
    });
    const [order] = [...orders.orders.values()];
    expect(order?.status).toBe('FAILED');
    expect(order?.failure?.error).toBe('WorkflowStartFailed');
  });

  it('lets a retry with the same key create a new order after a failed start', async () => {
    const { invoke, orders, workflow } = setup();
    workflow.failWith = new Error('AccessDenied');
    await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));
    workflow.failWith = undefined;

    const response = await invoke(post(validBody, { 'Idempotency-Key': 'key-1' }));

    expect(response.statusCode).toBe(202);
    expect(orders.orders.size).toBe(2);
  });

  it('answers 500 with a generic body when the store fails unexpectedly, never the raw error', async () => {
    const { invoke, orders } = setup();
    orders.create = () => Promise.reject(new Error('secret internals: table arn:aws:dynamodb:...'));

    const response = await invoke(post(validBody));

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(parse(response.body)).toEqual({ error: 'InternalError', message: 'An unexpected error occurred' });
  });
});
