import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { e2e } from './support/env';
import {
  orderBody,
  postCarrierEvent,
  postOrder,
  waitForAwaitingPickup,
  waitForExecutionEnd,
  waitForTerminalOrder,
} from './support/orders-api';

// Whole workflows, parent and child, on a slow shared machine: generous bounds on purpose.
jest.setTimeout(120_000);

afterAll(() => {
  e2e.sfn.destroy();
  e2e.dynamodb.destroy();
});

const address = (postalCode: string) => ({
  name: 'Grace Hopper',
  line1: '1 Compiler Way',
  city: 'Arlington',
  postalCode,
  country: 'US',
});

async function accept(overrides: Record<string, unknown> = {}) {
  const accepted = await postOrder(orderBody(overrides));
  expect({ status: accepted.status, body: accepted.json }).toMatchObject({ status: 202 });
  return { orderId: String(accepted.json.orderId), executionArn: String(accepted.json.executionArn) };
}

describe('fulfilment over HTTP: the child workflow, the carrier webhook and the saga', () => {
  it('ships a tok_visa order unattended, with the tracking number the fulfilment child booked', async () => {
    const { orderId, executionArn } = await accept();

    const order = await waitForTerminalOrder(orderId);
    await waitForExecutionEnd(executionArn);

    expect(order.status).toBe('SHIPPED');
    const { executions } = await e2e.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: e2e.fulfilmentStateMachineArn, maxResults: 1000 }),
    );
    const child = executions?.find((execution) => execution.name === orderId);
    expect(child?.status).toBe('SUCCEEDED');
    const described = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: child?.executionArn }));
    const output = JSON.parse(described.output ?? 'null') as { trackingNumber: string; service: string };
    expect(order.shipment).toMatchObject({ trackingNumber: output.trackingNumber, service: 'STANDARD' });
    expect(order.payment).not.toHaveProperty('refund');
  });

  it('refunds and fails the order when the carrier webhook reports PICKUP_FAILED', async () => {
    // 99998: the sandbox carrier never comes, so the webhook below is the carrier's only word.
    const { orderId, executionArn } = await accept({ shippingAddress: address('99998') });
    const shipment = await waitForAwaitingPickup(orderId);

    const signedAt = new Date();
    const failed = { type: 'PICKUP_FAILED', reason: 'Dock closed' };
    const answer = await postCarrierEvent(shipment.shipmentId, failed, { signedAt });
    // The carrier's retry is signed anew (a replayed signature is refused): here in the second before.
    const again = await postCarrierEvent(shipment.shipmentId, failed, {
      signedAt: new Date(signedAt.getTime() - 1000),
    });
    const late = await postCarrierEvent(shipment.shipmentId, { type: 'PICKED_UP' });

    expect({ status: answer.status, json: answer.json }).toEqual({
      status: 200,
      json: { shipmentId: shipment.shipmentId, status: 'PICKUP_FAILED' },
    });
    expect(again.status).toBe(200);
    expect(late).toMatchObject({ status: 409, json: { error: 'Conflict' } });
    const order = await waitForTerminalOrder(orderId);
    // The customer reads a fixed text; the carrier's reason stays in the execution history for operators.
    expect(order).toMatchObject({
      status: 'FAILED',
      failure: { error: 'PickupFailedError', cause: 'The carrier could not collect the parcel' },
      payment: { refund: { refundId: expect.stringMatching(/^re_/) as unknown, amount: { amount: 2999 } } },
    });
    expect(await waitForExecutionEnd(executionArn)).toBe('FAILED');
    const described = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({
      error: 'PickupFailedError',
      cause: expect.stringContaining('Dock closed') as unknown,
    });
    expect(order.history.map((h) => h.status)).toEqual(['PENDING', 'VALIDATED', 'PAID', 'FAILED']);
  });

  it('refunds and fails the order when the carrier never answers (the pickup times out)', async () => {
    const { orderId, executionArn } = await accept({ shippingAddress: address('99998') });
    const shipment = await waitForAwaitingPickup(orderId);

    const order = await waitForTerminalOrder(orderId);
    const late = await postCarrierEvent(shipment.shipmentId, { type: 'PICKED_UP' });

    expect(order).toMatchObject({
      status: 'FAILED',
      failure: { error: 'PickupTimeoutError', cause: 'The carrier did not confirm the pickup in time' },
      payment: { refund: { refundId: expect.stringMatching(/^re_/) as unknown } },
    });
    expect(late).toMatchObject({ status: 409 });
    expect(await waitForExecutionEnd(executionArn)).toBe('FAILED');
    const described = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.error).toBe('PickupTimeoutError');
  });

  it('refunds and fails the order when the sandbox carrier reports a failed pickup by itself (99999)', async () => {
    const { orderId } = await accept({ shippingAddress: address('99999') });

    const order = await waitForTerminalOrder(orderId);

    expect(order).toMatchObject({ status: 'FAILED', failure: { error: 'PickupFailedError' } });
    expect(order.payment?.refund).toBeDefined();
  });

  it.each([
    ['an unknown shipment', 404, 'shp_000000000000000000000000', { type: 'PICKED_UP' }],
    ['a malformed shipment id', 400, 'nope', { type: 'PICKED_UP' }],
    ['an unknown event type', 400, 'shp_000000000000000000000000', { type: 'LOST' }],
  ])('answers the webhook for %s with %i', async (_case, status, shipmentId, body) => {
    expect((await postCarrierEvent(shipmentId, body)).status).toBe(status);
  });
});
