import '../support/quiet-powertools';
import { OrderNotFoundError, PaymentProcessingError } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import type { Order } from '../../../src/domain/order';
import { makeRefundPaymentHandler } from '../../../src/handlers/tasks/refund-payment';
import { anOrder, lambdaContext, ORDER_ID } from '../support/fixtures';
import { InMemoryOrderStore, RecordingPaymentGateway } from '../support/in-memory-ports';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const PAYMENT = { chargeId: 'ch_1', amount: money(5998, 'EUR') };

describe('refundPayment task', () => {
  async function setup(order: Order | null = anOrder({ status: 'PAID', payment: PAYMENT })) {
    const orders = new InMemoryOrderStore();
    if (order) await orders.create(order);
    const payments = new RecordingPaymentGateway();
    const handler = makeRefundPaymentHandler({ orders, payments, clock: () => NOW });
    return { orders, payments, invoke: () => handler({ orderId: ORDER_ID }, lambdaContext()) };
  }

  it('refunds the whole charge and records it on the order as payment.refund', async () => {
    const { invoke, orders, payments } = await setup();

    const result = await invoke();

    const refund = { refundId: 're_ch_1', amount: money(5998, 'EUR'), at: NOW.toISOString() };
    expect(result).toEqual({ orderId: ORDER_ID, refunded: true, ...refund });
    expect(payments.refunds).toEqual([{ orderId: ORDER_ID, chargeId: 'ch_1', amount: money(5998, 'EUR') }]);
    expect((await orders.get(ORDER_ID))?.payment).toEqual({ ...PAYMENT, refund });
  });

  it('never refunds twice: a retry returns the recorded refund', async () => {
    const { invoke, payments } = await setup();

    const first = await invoke();
    const again = await invoke();

    expect(again).toEqual(first);
    expect(payments.refunds).toHaveLength(1);
  });

  it('passes a processor error on for the state machine to retry, recording nothing', async () => {
    const { invoke, orders, payments } = await setup();
    payments.failWith = new PaymentProcessingError('processor down');

    await expect(invoke()).rejects.toThrow(PaymentProcessingError);
    expect((await orders.get(ORDER_ID))?.payment).toEqual(PAYMENT);
  });

  it('refunds the charge the gateway holds for an order whose charge never reached it (a timed-out charge)', async () => {
    const { invoke, orders, payments } = await setup(anOrder({ status: 'VALIDATED' }));
    payments.unrecorded.set(ORDER_ID, PAYMENT);

    const result = await invoke();

    const refund = { refundId: 're_ch_1', amount: money(5998, 'EUR'), at: NOW.toISOString() };
    expect(result).toEqual({ orderId: ORDER_ID, refunded: true, ...refund });
    expect((await orders.get(ORDER_ID))?.payment).toEqual({ ...PAYMENT, refund });
  });

  it('has nothing to refund when neither the order nor the gateway holds a charge', async () => {
    const { invoke, payments } = await setup(anOrder({ status: 'VALIDATED' }));

    await expect(invoke()).resolves.toEqual({ orderId: ORDER_ID, refunded: false });
    expect(payments.refunds).toEqual([]);
  });

  it('refuses an unknown order', async () => {
    const { invoke, payments } = await setup(null);

    await expect(invoke()).rejects.toThrow(OrderNotFoundError);
    expect(payments.refunds).toEqual([]);
  });
});
