/**
 * The order workflow when things fail after the money moved: compensation of a failed fulfilment (the saga), the
 * failure paths of the failure paths (timeouts after a capture, lost answers, writes that cannot be made) and
 * NotifyOrderError's own failures, with the real handlers against DynamoDB Local on a fake clock (see
 * local/README.md). The main paths: order-workflow.test.ts.
 */
import './quiet-powertools';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { kitState, type JsonObject } from '../../local/testkit';
import { ADDRESS, outboxMessages, ownCatalogItem, placeOrder, storedOrder } from './orders';
import {
  CHILD_FAILED,
  COMPENSATED,
  document,
  HAPPY_PATH,
  lambdaCause,
  markStatus,
  runWorkflow,
  statusHistory,
  stock,
} from './order-workflow-support';

describe('order workflow: compensation and the failure paths', () => {
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
      const book = await ownCatalogItem();
      const input = await placeOrder({
        items: [{ sku: book, quantity: 2 }],
        shippingAddress: { ...ADDRESS, postalCode: '99999' },
      });
      const stockBefore = await stock(book);

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
      expect(await stock(book)).toBe(stockBefore);
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
