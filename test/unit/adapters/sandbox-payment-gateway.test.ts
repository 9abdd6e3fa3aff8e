import {
  chargeIdFor,
  refundIdFor,
  SandboxPaymentGateway,
} from '../../../src/adapters/sandbox/payment-gateway';
import { PaymentFailedError, PaymentProcessingError, ServiceUnavailable } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import { anOrder, ORDER_ID } from '../support/fixtures';
import { InMemoryOrderStore, InMemoryPaymentLedger } from '../support/in-memory-ports';

const amount = money(5998, 'EUR');

async function gatewayWithOrder() {
  const orders = new InMemoryOrderStore();
  await orders.create(anOrder({ status: 'VALIDATED' }));
  const ledger = new InMemoryPaymentLedger();
  return { orders, ledger, gateway: new SandboxPaymentGateway(orders, ledger) };
}

describe('SandboxPaymentGateway', () => {
  it('takes the money once per order, however often the order is charged', async () => {
    const { gateway, ledger } = await gatewayWithOrder();

    const first = await gateway.charge({ orderId: ORDER_ID, token: 'tok_visa', amount });
    const again = await gateway.charge({ orderId: ORDER_ID, token: 'tok_visa', amount });

    expect(again).toEqual(first);
    expect(ledger.entries.get(ORDER_ID)).toMatchObject({ chargeId: first.chargeId, captures: 1 });
  });

  it('answers what it charged for an order, by the order id, and nothing for an order it never charged', async () => {
    const { gateway } = await gatewayWithOrder();
    const charge = await gateway.charge({ orderId: ORDER_ID, token: 'tok_visa', amount });

    await expect(gateway.findCharge(ORDER_ID)).resolves.toEqual(charge);
    await expect(gateway.findCharge('ord_never_charged')).resolves.toBeUndefined();
  });

  it('records a refund in its ledger', async () => {
    const { gateway, ledger } = await gatewayWithOrder();
    const charge = await gateway.charge({ orderId: ORDER_ID, token: 'tok_visa', amount });

    const refund = await gateway.refund({ orderId: ORDER_ID, chargeId: charge.chargeId, amount });

    expect(ledger.entries.get(ORDER_ID)?.refundId).toBe(refund.refundId);
  });

  it('refunds a charge in full, with a refund id derived from the charge (the same every time)', async () => {
    const { gateway } = await gatewayWithOrder();
    const chargeId = chargeIdFor(ORDER_ID);

    const refund = await gateway.refund({ orderId: ORDER_ID, chargeId, amount });
    const again = await gateway.refund({ orderId: ORDER_ID, chargeId, amount });

    expect(refund).toEqual({ refundId: refundIdFor(chargeId), amount });
    expect(refund.refundId).toMatch(/^re_[0-9a-f]{24}$/);
    expect(again).toEqual(refund);
  });

  it('captures tok_visa with a charge id derived from the order', async () => {
    const { gateway } = await gatewayWithOrder();

    const charge = await gateway.charge({ orderId: ORDER_ID, token: 'tok_visa', amount });

    expect(charge).toEqual({ chargeId: chargeIdFor(ORDER_ID), amount });
    expect(charge.chargeId).toMatch(/^ch_[0-9a-f]{24}$/);
  });

  it('returns the same charge when the same order is charged again (never a second charge)', async () => {
    const { gateway } = await gatewayWithOrder();

    const first = await gateway.charge({ orderId: ORDER_ID, token: 'tok_visa', amount });
    const second = await gateway.charge({ orderId: ORDER_ID, token: 'tok_visa', amount });

    expect(second).toEqual(first);
    expect(chargeIdFor('ord_other')).not.toBe(first.chargeId);
  });

  it.each([
    ['tok_declined', PaymentFailedError, 'decline code: card_declined'],
    ['tok_unknown', PaymentFailedError, 'decline code: invalid_token'],
    ['tok_processing_error', PaymentProcessingError, 'attempt 1'],
    ['tok_unavailable', ServiceUnavailable, 'unavailable'],
  ])('fails %s with %p', async (token, errorClass, message) => {
    const { gateway } = await gatewayWithOrder();

    const charge = gateway.charge({ orderId: ORDER_ID, token, amount });

    await expect(charge).rejects.toThrow(errorClass);
    await expect(charge).rejects.toThrow(message);
  });

  it('fails tok_flaky twice, then captures it, counting attempts on the order', async () => {
    const { gateway, orders } = await gatewayWithOrder();
    const request = { orderId: ORDER_ID, token: 'tok_flaky', amount };

    await expect(gateway.charge(request)).rejects.toThrow(PaymentProcessingError);
    await expect(gateway.charge(request)).rejects.toThrow(PaymentProcessingError);
    await expect(gateway.charge(request)).resolves.toEqual({ chargeId: chargeIdFor(ORDER_ID), amount });
    expect((await orders.get(ORDER_ID))?.paymentAttempts).toBe(3);
  });
});
