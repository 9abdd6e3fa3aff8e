import '../support/quiet-powertools';
import { makeProcessPaymentHandler } from '../../../src/handlers/tasks/process-payment';
import { SandboxPaymentGateway } from '../../../src/adapters/sandbox/payment-gateway';
import {
  IllegalTransitionError,
  OrderNotFoundError,
  PaymentFailedError,
  PaymentProcessingError,
  ServiceUnavailable,
} from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import type { Order } from '../../../src/domain/order';
import { anOrder, lambdaContext, ORDER_ID } from '../support/fixtures';
import {
  InMemoryOrderStore,
  InMemoryPaymentLedger,
  RecordingPaymentGateway,
} from '../support/in-memory-ports';

const total = money(5998, 'EUR');
const REFERENCE = 'pm_0123456789abcdef01234567';

/** A validated order whose card token is kept under REFERENCE, as createOrder stores it. */
function validated(token = 'tok_visa', overrides: Partial<Order> = {}): Order {
  return anOrder({
    status: 'VALIDATED',
    total,
    paymentMethod: { reference: REFERENCE, token },
    ...overrides,
  });
}

async function setup(order: Order | null = validated()) {
  const orders = new InMemoryOrderStore();
  if (order) await orders.create(order);
  const payments = new RecordingPaymentGateway();
  const handler = makeProcessPaymentHandler({ orders, payments });
  const invoke = (paymentMethod = REFERENCE, amount = total) =>
    handler({ orderId: ORDER_ID, paymentMethod, amount }, lambdaContext());
  return { orders, payments, invoke };
}

describe('processPayment task', () => {
  it('charges the order, keeps the charge on it and moves it to PAID', async () => {
    const { invoke, orders, payments } = await setup();

    const result = await invoke();

    expect(result).toEqual({
      orderId: ORDER_ID,
      chargeId: `ch_${ORDER_ID}`,
      amount: total,
      status: 'CAPTURED',
    });
    expect(payments.charges).toEqual([{ orderId: ORDER_ID, token: 'tok_visa', amount: total }]);
    expect(await orders.get(ORDER_ID)).toMatchObject({
      status: 'PAID',
      payment: { chargeId: `ch_${ORDER_ID}`, amount: total },
    });
    // The token is single-use: once charged, only its reference stays on the order.
    expect((await orders.get(ORDER_ID))?.paymentMethod).toEqual({ reference: REFERENCE });
  });

  it('declines a payment method reference the order does not hold, charging nothing', async () => {
    const { invoke, payments } = await setup();

    await expect(invoke('pm_ffffffffffffffffffffffff')).rejects.toThrow(PaymentFailedError);
    expect(payments.charges).toHaveLength(0);
  });

  it('never charges twice: a retry of a paid order returns the stored charge', async () => {
    const { invoke, payments } = await setup();

    const first = await invoke();
    const second = await invoke();

    expect(second).toEqual(first);
    expect(payments.charges).toHaveLength(1);
  });

  it.each([
    ['declined', new PaymentFailedError('card_declined', 'declined'), PaymentFailedError],
    ['a processor error', new PaymentProcessingError('boom'), PaymentProcessingError],
    ['an outage', new ServiceUnavailable('down'), ServiceUnavailable],
  ])(
    'throws the gateway error when the payment is %s, leaving the order VALIDATED',
    async (_label, error, type) => {
      const { invoke, orders, payments } = await setup();
      payments.failWith = error;

      await expect(invoke()).rejects.toThrow(type);
      expect((await orders.get(ORDER_ID))?.status).toBe('VALIDATED');
    },
  );

  it('succeeds for tok_flaky on the third attempt with the sandbox gateway', async () => {
    const orders = new InMemoryOrderStore();
    await orders.create(validated('tok_flaky'));
    const handler = makeProcessPaymentHandler({
      orders,
      payments: new SandboxPaymentGateway(orders, new InMemoryPaymentLedger()),
    });
    const input = { orderId: ORDER_ID, paymentMethod: REFERENCE, amount: total };

    await expect(handler(input, lambdaContext())).rejects.toThrow(PaymentProcessingError);
    await expect(handler(input, lambdaContext())).rejects.toThrow(PaymentProcessingError);
    await expect(handler(input, lambdaContext())).resolves.toMatchObject({ status: 'CAPTURED' });
    expect(await orders.get(ORDER_ID)).toMatchObject({ status: 'PAID', paymentAttempts: 3 });
  });

  it('refuses to charge an order that is not VALIDATED', async () => {
    const { invoke, payments } = await setup(validated('tok_visa', { status: 'FAILED' }));

    await expect(invoke()).rejects.toThrow(IllegalTransitionError);
    expect(payments.charges).toHaveLength(0);
  });

  it('throws OrderNotFoundError for an unknown order', async () => {
    const { invoke } = await setup(null);

    await expect(invoke()).rejects.toThrow(OrderNotFoundError);
  });

  it('refuses an amount that differs from the validated total as a programming error', async () => {
    const { invoke, payments } = await setup();

    await expect(invoke(REFERENCE, money(1, 'EUR'))).rejects.toThrow('differs from the order total');
    expect(payments.charges).toHaveLength(0);
  });
});
