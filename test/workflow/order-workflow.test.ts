/**
 * Every path of statemachines/order.asl.json, with its ShipOrder running statemachines/fulfilment.asl.json as a
 * child execution, with the real handlers against DynamoDB Local on a fake clock (see local/README.md). Sandbox
 * tokens and addresses drive the business paths (the sandbox carrier answers the pickup by itself); injected faults
 * drive the paths they cannot reach (timeouts, Lambda service errors, unexpected exceptions).
 */
import './quiet-powertools';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  kitState,
  runWorkflow as runKitWorkflow,
  type Faults,
  type Json,
  type JsonObject,
  type RunOptions,
  type WorkflowResult,
} from '../../local';
import { ADDRESS, outboxMessages, placeOrder, storedOrder } from './orders';
import { startSandboxCarrierEndpoint, type SandboxCarrierEndpoint } from './sandbox-carrier-endpoint';

const HAPPY_PATH = ['ValidateOrder', 'ProcessPayment', 'ShipOrder', 'RecordShipment', 'OrderShipped'];
const COMPENSATED = ['RefundPayment', 'ReleaseStock', 'NotifyOrderError', 'OrderFailed'];
const CHILD_FAILED = ['ReadFulfilmentError', 'HasFulfilmentError', 'UseFulfilmentError', ...COMPENSATED];

let carrier: SandboxCarrierEndpoint;
const document = DynamoDBDocumentClient.from(new DynamoDBClient({}));

beforeAll(async () => {
  carrier = await startSandboxCarrierEndpoint();
});

afterAll(async () => {
  await carrier.stop();
  document.destroy();
});

/** Runs the order workflow; the sandbox carrier answers the child's pickup unless the test answers it. */
function runWorkflow(machine: 'order', input: Json, options: RunOptions = {}): Promise<WorkflowResult> {
  // A test-only child (options.definitions) has no RequestPickup to answer.
  if (options.definitions) return runKitWorkflow(machine, input, options);
  return runKitWorkflow(machine, input, {
    ...options,
    callbacks: { RequestPickup: () => carrier.deliver(), ...options.callbacks },
  });
}

async function stock(sku: string): Promise<number> {
  const result = await document.send(
    new GetCommand({ TableName: kitState().tables.catalog, Key: { sku }, ConsistentRead: true }),
  );
  return Number(result.Item?.stock);
}

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

      const stockBefore = await stock('SKU-BOOK-001');

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
      expect(await stock('SKU-BOOK-001')).toBe(stockBefore - 2);
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
      const input = await placeOrder({
        shippingAddress: {
          name: 'Nobody',
          line1: 'Nowhere 1',
          city: 'Void',
          postalCode: '00000',
          country: 'DE',
        },
      });

      const stockBefore = await stock('SKU-BOOK-001');

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
      expect(await stock('SKU-BOOK-001')).toBe(stockBefore);
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

  describe('the failure path of the failure path', () => {
    it('refunds a charge whose ProcessPayment timed out after the gateway took the money', async () => {
      const input = await placeOrder();
      const ledger = kitState().tables['sandbox-payments'] ?? '';
      const amount = { amount: 1999, currency: 'EUR' };

      const result = await runWorkflow('order', input, {
        stubs: {
          // The gateway captures, then the function hangs until Step Functions gives up on it.
          ProcessPayment: async (_payload, task) => {
            await document.send(
              new PutCommand({
                TableName: ledger,
                Item: { orderId: input.orderId, chargeId: 'ch_lost', amount, captures: 1 },
              }),
            );
            await task.sleep(Infinity);
            return null;
          },
        },
      });

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual(['ValidateOrder', 'ProcessPayment', ...COMPENSATED]);
      expect(result.error).toBe('States.Timeout');
      const order = await storedOrder(input.orderId);
      expect(order.status).toBe('FAILED');
      expect(order.payment).toMatchObject({ chargeId: 'ch_lost', amount, refund: { amount } });
      const entry = await document.send(
        new GetCommand({ TableName: ledger, Key: { orderId: input.orderId } }),
      );
      expect(entry.Item?.refundId).toBe(order.payment?.refund?.refundId);
    });

    it('leaves an order that RecordShipment did ship as it is when the write went through but its answer was lost', async () => {
      const input = await placeOrder();

      const result = await runWorkflow('order', input, {
        stubs: {
          // The first attempt's write goes through, then DynamoDB's answer is lost; the retry finds it SHIPPED.
          RecordShipment: async (payload, task, real) => {
            if (task.attempt > 1) return real(payload);
            await markStatus(input.orderId, 'SHIPPED');
            const lost = new Error('the answer was lost after the write');
            lost.name = 'DynamoDB.InternalServerError';
            throw lost;
          },
        },
      });

      expect(result.status).toBe('SUCCEEDED');
      expect(result.states).toEqual(HAPPY_PATH);
      expect(result.attempts.filter((a) => a.state === 'RecordShipment').map((a) => a.error)).toEqual([
        'DynamoDB.InternalServerError',
        'DynamoDB.ConditionalCheckFailedException',
      ]);
      expect((await storedOrder(input.orderId)).status).toBe('SHIPPED');
    });

    it('fails the execution for an operator, never the order, when the shipment cannot be recorded at all', async () => {
      const input = await placeOrder();

      const result = await runWorkflow('order', input, {
        faults: { RecordShipment: { '*': 'DynamoDB.InternalServerError' } },
      });

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual([...HAPPY_PATH.slice(0, 4), 'ShipmentNotRecorded']);
      expect(result.error).toBe('ShipmentNotRecorded');
      expect(result.attempts.filter((a) => a.state === 'RecordShipment')).toHaveLength(6);
      expect((await storedOrder(input.orderId)).status).toBe('PAID');
    });
  });

  describe('the saga: a fulfilment that fails after the payment is compensated', () => {
    it('refunds, releases the stock and fails the order with PickupFailedError when the carrier cannot collect (99999)', async () => {
      const input = await placeOrder({ shippingAddress: { ...ADDRESS, postalCode: '99999' } });
      const stockBefore = await stock('SKU-BOOK-001');

      const result = await runWorkflow('order', input);

      expect(result.status).toBe('FAILED');
      expect(result.states).toEqual(['ValidateOrder', 'ProcessPayment', 'ShipOrder', ...CHILD_FAILED]);
      expect(result.error).toBe('PickupFailedError');
      expect(result.cause).toContain('nobody at the pickup address');
      const order = await storedOrder(input.orderId);
      expect(order).toMatchObject({
        status: 'FAILED',
        failure: { error: 'PickupFailedError' },
        payment: { refund: { amount: { amount: 5998, currency: 'EUR' } } },
      });
      expect(order.payment?.refund?.at).toEqual(expect.any(String));
      expect(await stock('SKU-BOOK-001')).toBe(stockBefore);
    });

    it.each([
      ['stops answering (no heartbeat for 300 s)', undefined],
      ['keeps the pickup open past 900 s', 'timeout' as const],
    ])('refunds and fails the order with PickupTimeoutError when the carrier %s', async (_case, answer) => {
      const input = await placeOrder({ shippingAddress: { ...ADDRESS, postalCode: '99998' } });

      const result = await runWorkflow(
        'order',
        input,
        answer ? { callbacks: { RequestPickup: answer } } : {},
      );

      expect(result).toMatchObject({ status: 'FAILED', error: 'PickupTimeoutError' });
      expect(result.children[0]?.states.slice(-2)).toEqual(['CancelPickup', 'PickupTimedOut']);
      expect(await storedOrder(input.orderId)).toMatchObject({
        status: 'FAILED',
        failure: { error: 'PickupTimeoutError', cause: 'The carrier did not confirm the pickup in time' },
        payment: { refund: { refundId: expect.stringMatching(/^re_/) as unknown } },
      });
    });

    it('keeps States.TaskFailed when the child ended without an error of its own', async () => {
      const input = await placeOrder();
      const silentChild: JsonObject = { StartAt: 'Stop', States: { Stop: { Type: 'Fail' } } };

      const result = await runWorkflow('order', input, { definitions: { fulfilment: silentChild } });

      expect(result.states).toEqual([
        'ValidateOrder',
        'ProcessPayment',
        'ShipOrder',
        'ReadFulfilmentError',
        'HasFulfilmentError',
        ...COMPENSATED,
      ]);
      expect(result.error).toBe('States.TaskFailed');
      expect((await storedOrder(input.orderId)).payment?.refund).toBeDefined();
    });

    it("compensates when the child outlasts ShipOrder's 1800 s TimeoutSeconds", async () => {
      const input = await placeOrder();
      const slowChild: JsonObject = {
        StartAt: 'Linger',
        States: { Linger: { Type: 'Wait', Seconds: 3600, End: true } },
      };

      const result = await runWorkflow('order', input, { definitions: { fulfilment: slowChild } });

      expect(result.states).toEqual(['ValidateOrder', 'ProcessPayment', 'ShipOrder', ...COMPENSATED]);
      expect(result.error).toBe('States.Timeout');
      expect((await storedOrder(input.orderId)).status).toBe('FAILED');
    });

    it.each([
      ['RefundPayment', 'the refund', ['ReleaseStock', 'NotifyOrderError', 'OrderFailed']],
      ['ReleaseStock', 'the stock release', ['NotifyOrderError', 'OrderFailed']],
    ])('still notifies and fails the order when %s fails for good (%s)', async (state, _what, rest) => {
      const input = await placeOrder({ shippingAddress: { ...ADDRESS, postalCode: '99999' } });

      const result = await runWorkflow('order', input, { faults: { [state]: { 1: new TypeError('boom') } } });

      expect(result.states.slice(-rest.length - 1)).toEqual([state, ...rest]);
      expect(result.error).toBe('PickupFailedError');
      expect((await storedOrder(input.orderId)).status).toBe('FAILED');
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
      'still ends the order FAILED (a direct write) with the original error when it %s',
      async (_case, notifyFaults, waits) => {
        const input = await placeOrder({ payment: { token: 'tok_declined' } });

        const result = await runWorkflow('order', input, { faults: { NotifyOrderError: notifyFaults } });

        expect(result.status).toBe('FAILED');
        expect(result.states).toEqual([
          'ValidateOrder',
          'ProcessPayment',
          'NotifyOrderError',
          'MarkOrderFailed',
          'OrderFailed',
        ]);
        expect(result.waits.map((wait) => wait.seconds)).toEqual(waits);
        expect(result.error).toBe('PaymentFailedError');
        expect(lambdaCause(result).errorMessage).toContain('card_declined');
        const order = await storedOrder(input.orderId);
        expect(order.status).toBe('FAILED');
        expect(order.failure).toEqual({
          error: 'PaymentFailedError',
          cause: 'The order could not be completed',
        });
        expect(statusHistory(order)).toEqual(['PENDING', 'VALIDATED', 'FAILED']);
        // The customer could not be told: no message in the outbox; the history keeps $.notificationError.
        expect(await outboxMessages(input.orderId)).toEqual([]);
      },
    );

    it('ends in NotificationFailed when the order had already ended (the notification wrote FAILED, then crashed)', async () => {
      const input = await placeOrder({ payment: { token: 'tok_declined' } });

      const result = await runWorkflow('order', input, {
        stubs: {
          NotifyOrderError: async () => {
            await markStatus(input.orderId, 'FAILED');
            throw new TypeError('crashed after the write');
          },
        },
      });

      expect(result.states).toEqual([
        'ValidateOrder',
        'ProcessPayment',
        'NotifyOrderError',
        'MarkOrderFailed',
        'NotificationFailed',
        'OrderFailed',
      ]);
      expect(result.error).toBe('PaymentFailedError');
      expect(result.attempts.filter((a) => a.state === 'MarkOrderFailed').map((a) => a.error)).toEqual([
        'DynamoDB.ConditionalCheckFailedException',
      ]);
      expect((await storedOrder(input.orderId)).status).toBe('FAILED');
    });

    it('retries the direct write, then ends in NotificationFailed with the original error when DynamoDB keeps failing', async () => {
      const input = await placeOrder({ payment: { token: 'tok_declined' } });

      const result = await runWorkflow('order', input, {
        faults: {
          NotifyOrderError: { 1: new TypeError('boom') },
          MarkOrderFailed: { '*': 'DynamoDB.InternalServerError' },
        },
      });

      expect(result.states.slice(-3)).toEqual(['MarkOrderFailed', 'NotificationFailed', 'OrderFailed']);
      expect(result.attempts.filter((a) => a.state === 'MarkOrderFailed')).toHaveLength(6);
      expect(result.error).toBe('PaymentFailedError');
    });
  });
});

/** Moves an order to `status` behind the workflow's back (a write that went through before its function crashed). */
async function markStatus(orderId: string, status: string): Promise<void> {
  await document.send(
    new UpdateCommand({
      TableName: kitState().tables.orders,
      Key: { orderId },
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    }),
  );
}
