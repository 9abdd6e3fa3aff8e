import '../support/quiet-powertools';
import { makeNotifyOrderErrorHandler } from '../../../src/handlers/tasks/notify-order-error';
import { IllegalTransitionError, OrderNotFoundError } from '../../../src/domain/errors';
import type { Order } from '../../../src/domain/order';
import type { OrderStatus } from '../../../src/domain/status';
import { anOrder, lambdaContext, ORDER_ID } from '../support/fixtures';
import { InMemoryOrderStore, RecordingNotifier } from '../support/in-memory-ports';

const cause = JSON.stringify({
  errorType: 'PaymentFailedError',
  errorMessage: 'The card was declined (decline code: card_declined)',
  trace: ['PaymentFailedError: ...', '    at charge (/var/task/index.js:1:1)'],
});

async function setup(order: Order | null = anOrder({ status: 'VALIDATED' })) {
  const orders = new InMemoryOrderStore();
  if (order) await orders.create(order);
  const notifier = new RecordingNotifier();
  const handler = makeNotifyOrderErrorHandler({ orders, notifier });
  const invoke = (error = 'PaymentFailedError') =>
    handler({ orderId: ORDER_ID, error, cause }, lambdaContext());
  return { orders, notifier, invoke };
}

describe('notifyOrderError task', () => {
  it.each<OrderStatus>(['PENDING', 'VALIDATED', 'PAID'])(
    'moves a %s order to FAILED with the error and its fixed customer text (not the cause), and queues one notification',
    async (status) => {
      const { invoke, orders, notifier } = await setup(anOrder({ status }));

      const result = await invoke();

      expect(result).toEqual({
        orderId: ORDER_ID,
        notificationId: `${ORDER_ID}#ORDER_FAILED`,
        status: 'FAILED',
      });
      expect(await orders.get(ORDER_ID)).toMatchObject({
        status: 'FAILED',
        failure: {
          error: 'PaymentFailedError',
          cause: 'The payment was declined',
        },
      });
      expect([...notifier.sent.values()]).toEqual([
        expect.objectContaining({ orderId: ORDER_ID, type: 'ORDER_FAILED', customerId: 'cust-1' }),
      ]);
      expect(notifier.sent.get(`${ORDER_ID}#ORDER_FAILED`)?.body).toContain('The payment was declined');
      expect(JSON.stringify(await orders.get(ORDER_ID))).not.toContain('card_declined');
    },
  );

  it('is a no-op for an order already FAILED, keeping the first failure', async () => {
    const { invoke, orders, notifier } = await setup();
    await invoke('PaymentFailedError');

    const again = await invoke('States.TaskFailed');

    expect(again.status).toBe('FAILED');
    expect((await orders.get(ORDER_ID))?.failure?.error).toBe('PaymentFailedError');
    expect(orders.transitions).toBe(1);
    expect(notifier.sent.size).toBe(1);
  });

  it('refuses to fail a SHIPPED order', async () => {
    const { invoke, notifier } = await setup(anOrder({ status: 'SHIPPED' }));

    await expect(invoke()).rejects.toThrow(IllegalTransitionError);
    expect(notifier.sent.size).toBe(0);
  });

  it('throws OrderNotFoundError for an unknown order', async () => {
    const { invoke } = await setup(null);

    await expect(invoke()).rejects.toThrow(OrderNotFoundError);
  });

  it('treats a missing cause as a programming error', async () => {
    const { orders, notifier } = await setup();
    const handler = makeNotifyOrderErrorHandler({ orders, notifier });

    await expect(handler({ orderId: ORDER_ID, error: 'X' }, lambdaContext())).rejects.toThrow(
      'notifyOrderError received an invalid input',
    );
  });
});
