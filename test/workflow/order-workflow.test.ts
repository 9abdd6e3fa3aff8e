/**
 * Every path of statemachines/order.asl.json, run with the real handlers against DynamoDB Local on a fake clock
 * (see test/workflow/kit). Sandbox tokens and addresses drive the business paths; injected faults drive the
 * paths they cannot reach (timeouts, Lambda service errors, unexpected exceptions).
 */
import { runWorkflow, type Faults, type WorkflowResult } from './kit';
import { outboxMessages, placeOrder, storedOrder } from './kit/orders';

const HAPPY_PATH = ['ValidateOrder', 'ProcessPayment', 'ShipOrder', 'OrderShipped'];

/** The Lambda error JSON Step Functions carries as the Cause of a function error. */
function lambdaCause(result: WorkflowResult): { errorType: string; errorMessage: string; trace: string[] } {
  return JSON.parse(result.cause ?? 'null') as { errorType: string; errorMessage: string; trace: string[] };
}

function statusHistory(order: { history: readonly { status: string }[] }): string[] {
  return order.history.map((entry) => entry.status);
}

describe('order workflow', () => {
  describe('happy path', () => {
    it('validates, charges and ships an order paid with tok_visa', async () => {
      const input = await placeOrder({
        items: [{ sku: 'SKU-BOOK-001', quantity: 2 }],
        payment: { token: 'tok_visa' },
      });

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('SUCCEEDED');
      expect(result.states).toEqual(HAPPY_PATH);
      expect(result.waits).toEqual([]);
      const order = await storedOrder(input.orderId);
      expect(result.output).toEqual({ orderId: input.orderId, ...order.shipment });
      expect(order).toMatchObject({
        status: 'SHIPPED',
        total: { amount: 5998, currency: 'EUR' },
        payment: { amount: { amount: 5998, currency: 'EUR' } },
        shipment: { carrier: 'SANDBOX-POST' },
      });
      expect(statusHistory(order)).toEqual(['PENDING', 'VALIDATED', 'PAID', 'SHIPPED']);
      expect(await outboxMessages(input.orderId)).toEqual([]);
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
      expect(order.failure).toEqual({ error: 'ValidationError', cause: lambdaCause(result).errorMessage });
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

    it('fails the shipment to an undeliverable postal code after the payment', async () => {
      const input = await placeOrder({
        shippingAddress: {
          name: 'Nobody',
          line1: 'Nowhere 1',
          city: 'Void',
          postalCode: '00000',
          country: 'DE',
        },
      });

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual([
        'ValidateOrder',
        'ProcessPayment',
        'ShipOrder',
        'NotifyOrderError',
        'OrderFailed',
      ]);
      expect(result.error).toBe('ShippingFailedError');
      expect(lambdaCause(result).errorMessage).toContain('postal code 00000');
      const order = await storedOrder(input.orderId);
      expect(order).toMatchObject({ status: 'FAILED', failure: { error: 'ShippingFailedError' } });
      expect(statusHistory(order)).toEqual(['PENDING', 'VALIDATED', 'PAID', 'FAILED']);
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
      expect(result.states).toEqual(['ValidateOrder', 'ProcessPayment', 'NotifyOrderError', 'OrderFailed']);
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
      expect(order.paymentAttempts).toBe(4);
    });

    it.each(['ValidateOrder', 'ShipOrder'])(
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

    it('gives up on ServiceUnavailable from ShipOrder after 4 attempts (2, 4, 8 s) and fails the order', async () => {
      const input = await placeOrder();

      const result = await runWorkflow('order', input, {
        faults: { ShipOrder: { '*': 'ServiceUnavailable' } },
      });

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual([
        'ValidateOrder',
        'ProcessPayment',
        'ShipOrder',
        'NotifyOrderError',
        'OrderFailed',
      ]);
      expect(result.waits).toEqual([2, 4, 8].map((seconds) => ({ state: 'ShipOrder', seconds })));
      expect(result.error).toBe('ServiceUnavailable');
      expect(await storedOrder(input.orderId)).toMatchObject({
        status: 'FAILED',
        failure: { error: 'ServiceUnavailable' },
      });
    });

    it.each(['ValidateOrder', 'ProcessPayment', 'ShipOrder'])(
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
      ['ValidateOrder', ['ValidateOrder'], ['PENDING', 'FAILED']],
      ['ProcessPayment', ['ValidateOrder', 'ProcessPayment'], ['PENDING', 'VALIDATED', 'FAILED']],
      [
        'ShipOrder',
        ['ValidateOrder', 'ProcessPayment', 'ShipOrder'],
        ['PENDING', 'VALIDATED', 'PAID', 'FAILED'],
      ],
    ])('fails the order when %s throws a TypeError (not retried)', async (state, before, statuses) => {
      const input = await placeOrder();

      const result = await runWorkflow('order', input, { faults: { [state]: { 1: new TypeError('boom') } } });

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual([...before, 'NotifyOrderError', 'OrderFailed']);
      expect(result.attempts.filter((a) => a.state === state)).toHaveLength(1);
      expect(result.error).toBe('TypeError');
      expect(lambdaCause(result)).toMatchObject({ errorType: 'TypeError', errorMessage: 'boom' });
      expect(lambdaCause(result).trace[0]).toBe('TypeError: boom');
      const order = await storedOrder(input.orderId);
      expect(order.failure).toEqual({ error: 'TypeError', cause: 'boom' });
      expect(statusHistory(order)).toEqual(statuses);
    });

    it('fails the order with States.Timeout when ShipOrder hangs past its 30 s TimeoutSeconds', async () => {
      const input = await placeOrder();

      const result = await runWorkflow('order', input, { faults: { ShipOrder: { 1: 'timeout' } } });

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual([
        'ValidateOrder',
        'ProcessPayment',
        'ShipOrder',
        'NotifyOrderError',
        'OrderFailed',
      ]);
      expect(result.attempts.filter((a) => a.state === 'ShipOrder')).toEqual([
        expect.objectContaining({ attempt: 1, outcome: 'TIMED_OUT', error: 'States.Timeout' }),
      ]);
      const timedOut = result.events.findIndex((e) => e.type === 'LambdaFunctionTimedOut');
      const [started, ended] = [result.events[timedOut - 1], result.events[timedOut]];
      expect(started?.type).toBe('LambdaFunctionStarted');
      expect(ended!.timestamp!.getTime() - started!.timestamp!.getTime()).toBe(30_000);
      expect(result).toMatchObject({ error: 'States.Timeout', cause: 'Task timed out after 30 seconds' });
      expect(await storedOrder(input.orderId)).toMatchObject({
        status: 'FAILED',
        failure: { error: 'States.Timeout', cause: 'Task timed out after 30 seconds' },
      });
    });
  });

  describe('NotifyOrderError', () => {
    it.each([
      ['ServiceUnavailable', { 1: 'ServiceUnavailable', 2: 'ServiceUnavailable' }, [2, 4]],
      ['a Lambda service error', { 1: 'Lambda.ServiceException' }, undefined],
    ] as const)('is retried after %s and records the failure', async (_case, notifyFaults, waits) => {
      const input = await placeOrder({ payment: { token: 'tok_declined' } });

      const result = await runWorkflow('order', input, { faults: { NotifyOrderError: notifyFaults } });

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual(['ValidateOrder', 'ProcessPayment', 'NotifyOrderError', 'OrderFailed']);
      expect(result.waits.every((wait) => wait.state === 'NotifyOrderError')).toBe(true);
      if (waits) expect(result.waits.map((wait) => wait.seconds)).toEqual(waits);
      expect(result.error).toBe('PaymentFailedError');
      expect(await storedOrder(input.orderId)).toMatchObject({
        status: 'FAILED',
        failure: { error: 'PaymentFailedError' },
      });
    });

    it.each([
      ['throws an unexpected error', { 1: new TypeError('outbox exploded') }, []],
      ['stays unavailable through its retries', { '*': 'ServiceUnavailable' }, [2, 4, 8]],
    ] as const)(
      'ends in NotificationFailed and OrderFailed with the original error when it %s',
      async (_case, notifyFaults, waits) => {
        const input = await placeOrder({ payment: { token: 'tok_declined' } });

        const result = await runWorkflow('order', input, { faults: { NotifyOrderError: notifyFaults } });

        expect(result.status).toBe('FAILED');
        expect(result.states).toEqual([
          'ValidateOrder',
          'ProcessPayment',
          'NotifyOrderError',
          'NotificationFailed',
          'OrderFailed',
        ]);
        expect(result.waits.map((wait) => wait.seconds)).toEqual(waits);
        expect(result.error).toBe('PaymentFailedError');
        expect(lambdaCause(result).errorMessage).toContain('card_declined');
        // The notification never ran, so nothing marked the order FAILED: the execution history is the record.
        const order = await storedOrder(input.orderId);
        expect(order.status).toBe('VALIDATED');
        expect(await outboxMessages(input.orderId)).toEqual([]);
      },
    );
  });
});
