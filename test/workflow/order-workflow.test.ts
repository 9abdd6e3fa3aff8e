/**
 * The order workflow's main paths, statemachines/order.asl.json with its ShipOrder running
 * statemachines/fulfilment.asl.json as a child execution, with the real handlers against DynamoDB Local on a fake
 * clock (see local/README.md): sandbox tokens and addresses drive the business paths (the sandbox carrier answers
 * the pickup by itself); injected faults drive the paths they cannot reach (Lambda service errors, unexpected
 * exceptions). Compensation and the failure paths: order-compensation.test.ts.
 */
import './quiet-powertools';
import type { Faults } from '../../local/testkit';
import { ADDRESS, outboxMessages, ownCatalogItem, placeOrder, storedOrder } from './orders';
import {
  CHILD_FAILED,
  COMPENSATED,
  HAPPY_PATH,
  lambdaCause,
  runWorkflow,
  statusHistory,
  stock,
} from './order-workflow-support';

describe('order workflow', () => {
  describe('happy path', () => {
    it('validates, charges and ships an order paid with tok_visa', async () => {
      const book = await ownCatalogItem();
      const input = await placeOrder({
        items: [{ sku: book, quantity: 2 }],
        payment: { token: 'tok_visa' },
      });

      const stockBefore = await stock(book);

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('SUCCEEDED');
      expect(result.states).toEqual(HAPPY_PATH);
      expect(result.waits).toEqual([]);
      const [fulfilment] = result.children;
      expect(fulfilment).toMatchObject({ machine: 'fulfilment', status: 'SUCCEEDED' });
      expect(fulfilment?.waits).toEqual([{ state: 'WaitForCollection', seconds: 10 }]);
      const order = await storedOrder(input.orderId);
      // The tracking number comes from the child's output, through ShipOrder's ResultSelector.
      expect(order.shipment?.trackingNumber).toBe(
        (fulfilment?.output as { trackingNumber: string }).trackingNumber,
      );
      expect(result.output).toEqual({ orderId: input.orderId, ...order.shipment });
      expect(order).toMatchObject({
        status: 'SHIPPED',
        total: { amount: 5998, currency: 'EUR' },
        payment: { amount: { amount: 5998, currency: 'EUR' } },
        shipment: { carrier: 'SANDBOX-POST', service: 'STANDARD' },
      });
      expect(order.payment).not.toHaveProperty('refund');
      expect(statusHistory(order)).toEqual(['PENDING', 'VALIDATED', 'PAID', 'SHIPPED']);
      expect(await outboxMessages(input.orderId)).toEqual([
        expect.objectContaining({ type: 'ORDER_CONFIRMED' }),
      ]);
      expect(await stock(book)).toBe(stockBefore - 2);
    });
  });

  describe('business failures end in NotifyOrderError and OrderFailed with the original error', () => {
    it.each([
      ['an unknown SKU', [{ sku: 'SKU-NOPE-999', quantity: 1 }], 'SKU-NOPE-999: unknown SKU'],
      ['more than the stock', [{ sku: 'SKU-LAMP-003', quantity: 3 }], 'SKU-LAMP-003: insufficient stock'],
      [
        'an item out of stock',
        [{ sku: 'SKU-POSTER-004', quantity: 1 }],
        'SKU-POSTER-004: insufficient stock',
      ],
    ])('fails validation for %s without retrying', async (_case, items, reason) => {
      const input = await placeOrder({ items });

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual(['ValidateOrder', 'NotifyOrderError', 'OrderFailed']);
      expect(result.attempts.filter((a) => a.state === 'ValidateOrder')).toHaveLength(1);
      expect(result.error).toBe('ValidationError');
      expect(lambdaCause(result)).toMatchObject({ errorType: 'ValidationError' });
      expect(lambdaCause(result).errorMessage).toContain(reason);
      const order = await storedOrder(input.orderId);
      expect(order.status).toBe('FAILED');
      // The full cause stays in the history for operators; the customer reads a fixed text.
      expect(order.failure).toEqual({
        error: 'ValidationError',
        cause: 'One or more items are unknown or not in stock in the quantity ordered',
      });
      expect(statusHistory(order)).toEqual(['PENDING', 'FAILED']);
    });

    it.each([
      ['a declined card', 'tok_declined', 'card_declined'],
      ['an unknown token', 'tok_bogus', 'invalid_token'],
    ])('fails the payment for %s without retrying', async (_case, token, declineCode) => {
      const input = await placeOrder({ payment: { token } });

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual(['ValidateOrder', 'ProcessPayment', 'NotifyOrderError', 'OrderFailed']);
      expect(result.waits).toEqual([]);
      expect(result.error).toBe('PaymentFailedError');
      expect(lambdaCause(result).errorMessage).toContain(`decline code: ${declineCode}`);
      const order = await storedOrder(input.orderId);
      expect(order).toMatchObject({
        status: 'FAILED',
        paymentAttempts: 1,
        failure: { error: 'PaymentFailedError' },
      });
      expect(statusHistory(order)).toEqual(['PENDING', 'VALIDATED', 'FAILED']);
      expect(await outboxMessages(input.orderId)).toEqual([
        expect.objectContaining({ type: 'ORDER_FAILED', customerId: 'cust-workflow' }),
      ]);
    });

    it('refunds, releases the stock and fails the order when the label cannot be booked (postal code 00000)', async () => {
      const book = await ownCatalogItem();
      const input = await placeOrder({
        items: [{ sku: book, quantity: 2 }],
        shippingAddress: {
          name: 'Nobody',
          line1: 'Nowhere 1',
          city: 'Void',
          postalCode: '00000',
          country: 'DE',
        },
      });

      const stockBefore = await stock(book);

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual(['ValidateOrder', 'ProcessPayment', 'ShipOrder', ...CHILD_FAILED]);
      expect(result.children[0]).toMatchObject({ status: 'FAILED', error: 'ShippingFailedError' });
      expect(result.error).toBe('ShippingFailedError');
      expect(lambdaCause(result).errorMessage).toContain('Address undeliverable');
      const order = await storedOrder(input.orderId);
      expect(order).toMatchObject({ status: 'FAILED', failure: { error: 'ShippingFailedError' } });
      expect(order.payment?.refund?.refundId).toMatch(/^re_/);
      expect(statusHistory(order)).toEqual(['PENDING', 'VALIDATED', 'PAID', 'FAILED']);
      expect(await stock(book)).toBe(stockBefore);
    });
  });

  describe('transient failures are retried by the state machine with backoff', () => {
    it('charges tok_flaky on the third attempt after waiting 5 s and 10 s', async () => {
      const input = await placeOrder({ payment: { token: 'tok_flaky' } });

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('SUCCEEDED');
      expect(result.states).toEqual(HAPPY_PATH);
      expect(result.waits).toEqual([
        { state: 'ProcessPayment', seconds: 5 },
        { state: 'ProcessPayment', seconds: 10 },
      ]);
      expect(result.attempts.filter((a) => a.state === 'ProcessPayment')).toEqual([
        expect.objectContaining({ attempt: 1, outcome: 'FAILED', error: 'PaymentProcessingError' }),
        expect.objectContaining({ attempt: 2, outcome: 'FAILED', error: 'PaymentProcessingError' }),
        { state: 'ProcessPayment', attempt: 3, outcome: 'SUCCEEDED' },
      ]);
      expect(await storedOrder(input.orderId)).toMatchObject({ status: 'SHIPPED', paymentAttempts: 3 });
    });

    it.each([
      ['PaymentProcessingError', 'tok_processing_error'],
      ['ServiceUnavailable', 'tok_unavailable'],
    ])('gives up on %s after 4 attempts (waits 5, 10, 20 s) and fails the order', async (error, token) => {
      const input = await placeOrder({ payment: { token } });

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('FAILED');
      // Not a decline: the gateway may have charged, so the saga asks it (nothing to refund here).
      expect(result.states).toEqual(['ValidateOrder', 'ProcessPayment', ...COMPENSATED]);
      expect(result.waits).toEqual([5, 10, 20].map((seconds) => ({ state: 'ProcessPayment', seconds })));
      expect(result.attempts.filter((a) => a.state === 'ProcessPayment').map((a) => a.error)).toEqual([
        error,
        error,
        error,
        error,
      ]);
      expect(result.error).toBe(error);
      const order = await storedOrder(input.orderId);
      expect(order).toMatchObject({ status: 'FAILED', failure: { error } });
      expect(order.payment).toBeUndefined();
      expect(order.paymentAttempts).toBe(4);
    });

    it.each(['ValidateOrder'])(
      'retries ServiceUnavailable from %s after 2 s and 4 s, then carries on',
      async (state) => {
        const input = await placeOrder();
        const faults: Faults = { [state]: { 1: 'ServiceUnavailable', 2: 'ServiceUnavailable' } };

        const result = await runWorkflow('order', input, { faults });

        expect(result.status).toBe('SUCCEEDED');
        expect(result.states).toEqual(HAPPY_PATH);
        expect(result.waits).toEqual([
          { state, seconds: 2 },
          { state, seconds: 4 },
        ]);
        expect((await storedOrder(input.orderId)).status).toBe('SHIPPED');
      },
    );

    it.each([
      ['RefundPayment', ['ValidateOrder', 'ProcessPayment', 'ShipOrder', ...CHILD_FAILED]],
      ['ReleaseStock', ['ValidateOrder', 'ProcessPayment', 'ShipOrder', ...CHILD_FAILED]],
    ])(
      'retries ServiceUnavailable from %s after a jittered wait of at most 1 s, then carries on',
      async (state, path) => {
        const input = await placeOrder({ shippingAddress: { ...ADDRESS, postalCode: '99999' } });

        const result = await runWorkflow('order', input, {
          faults: { [state]: { 1: 'ServiceUnavailable' } },
        });

        expect(result.states).toEqual(path);
        expect(result.attempts.filter((a) => a.state === state).map((a) => a.error ?? a.outcome)).toEqual([
          'ServiceUnavailable',
          'SUCCEEDED',
        ]);
        expect(result.waits.filter((w) => w.state === state).every((w) => w.seconds <= 1)).toBe(true);
      },
    );

    it('retries a refund the processor could not make after 5 s', async () => {
      const input = await placeOrder({ shippingAddress: { ...ADDRESS, postalCode: '99999' } });

      const result = await runWorkflow('order', input, {
        faults: { RefundPayment: { 1: 'PaymentProcessingError' } },
      });

      expect(result.waits).toContainEqual({ state: 'RefundPayment', seconds: 5 });
      expect((await storedOrder(input.orderId)).payment?.refund).toBeDefined();
    });

    it.each(['ValidateOrder', 'ProcessPayment'])(
      'retries Lambda service errors in %s after a jittered wait of at most 1 s, then 2 s',
      async (state) => {
        const input = await placeOrder();
        const faults: Faults = {
          [state]: { 1: 'Lambda.ServiceException', 2: 'Lambda.TooManyRequestsException' },
        };

        const result = await runWorkflow('order', input, { faults });

        expect(result.status).toBe('SUCCEEDED');
        expect(result.attempts.filter((a) => a.state === state).map((a) => a.error ?? a.outcome)).toEqual([
          'Lambda.ServiceException',
          'Lambda.TooManyRequestsException',
          'SUCCEEDED',
        ]);
        expect(result.waits.map((wait) => wait.state)).toEqual([state, state]);
        const [first, second] = result.waits.map((wait) => wait.seconds);
        expect(first).toBeGreaterThanOrEqual(0);
        expect(first).toBeLessThanOrEqual(1);
        expect(second).toBeGreaterThanOrEqual(0);
        expect(second).toBeLessThanOrEqual(2);
        expect((await storedOrder(input.orderId)).status).toBe('SHIPPED');
      },
    );
  });

  describe('unexpected errors are caught by the States.ALL catcher', () => {
    it.each([
      ['ValidateOrder', ['ValidateOrder', 'NotifyOrderError', 'OrderFailed'], ['PENDING', 'FAILED']],
      [
        'ProcessPayment',
        ['ValidateOrder', 'ProcessPayment', ...COMPENSATED],
        ['PENDING', 'VALIDATED', 'FAILED'],
      ],
    ])('fails the order when %s throws a TypeError (not retried)', async (state, path, statuses) => {
      const input = await placeOrder();

      const result = await runWorkflow('order', input, { faults: { [state]: { 1: new TypeError('boom') } } });

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual(path);
      expect(result.attempts.filter((a) => a.state === state)).toHaveLength(1);
      expect(result.error).toBe('TypeError');
      expect(lambdaCause(result)).toMatchObject({ errorType: 'TypeError', errorMessage: 'boom' });
      expect(lambdaCause(result).trace[0]).toBe('TypeError: boom');
      const order = await storedOrder(input.orderId);
      expect(order.failure).toEqual({ error: 'TypeError', cause: 'The order could not be completed' });
      expect(statusHistory(order)).toEqual(statuses);
    });

    it.each([
      [
        'fails with DynamoDB errors',
        { 1: 'DynamoDB.InternalServerError', 2: 'DynamoDB.ProvisionedThroughputExceededException' },
        ['DynamoDB.InternalServerError', 'DynamoDB.ProvisionedThroughputExceededException', 'SUCCEEDED'],
      ],
      ['hangs past its 30 s TimeoutSeconds', { 1: 'timeout' }, ['States.Timeout', 'SUCCEEDED']],
    ] as const)(
      'still ends the order SHIPPED, never FAILED, when RecordShipment (a direct write) %s after the parcel left: retried after a jittered wait of at most 1 s, then 2 s',
      async (_case, recordFaults, attempts) => {
        const input = await placeOrder();

        const result = await runWorkflow('order', input, { faults: { RecordShipment: recordFaults } });

        expect(result.status).toBe('SUCCEEDED');
        expect(result.states).toEqual(HAPPY_PATH);
        expect(
          result.attempts.filter((a) => a.state === 'RecordShipment').map((a) => a.error ?? a.outcome),
        ).toEqual(attempts);
        const waits = result.waits.filter((w) => w.state === 'RecordShipment').map((w) => w.seconds);
        expect(waits).toHaveLength(attempts.length - 1);
        waits.forEach((seconds, retry) => {
          expect(seconds).toBeGreaterThanOrEqual(0);
          expect(seconds).toBeLessThanOrEqual(2 ** retry);
        });
        const order = await storedOrder(input.orderId);
        expect(order.status).toBe('SHIPPED');
        expect(order.shipment).toMatchObject({ carrier: 'SANDBOX-POST' });
        expect(order.shipment?.trackingNumber).toBeTruthy();
        expect(result.output).toEqual({ orderId: input.orderId, ...order.shipment });
        expect(statusHistory(order)).toEqual(['PENDING', 'VALIDATED', 'PAID', 'SHIPPED']);
      },
    );
  });
});
