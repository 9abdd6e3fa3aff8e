/**
 * Secure by default, over HTTP against the e2e local cloud: the gateway's JWT authorizer, customers who only see
 * their own orders, the signed carrier webhook, and execution histories without personal data.
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SIGNATURE_TOLERANCE_SECONDS, signWebhookPayload } from '../../src/domain/webhook-signature';
import { e2e } from './support/env';
import {
  bearer,
  carrierSignature,
  getOrder,
  localIssuer,
  orderBody,
  postCarrierEvent,
  postOrder,
  waitForAwaitingPickup,
  waitForExecutionEnd,
  waitForTerminalOrder,
} from './support/orders-api';

// Whole workflows on a slow shared machine: generous bounds on purpose.
jest.setTimeout(120_000);

afterAll(() => {
  e2e.sfn.destroy();
  e2e.dynamodb.destroy();
});

/** Personal data of the order under test: none of it may appear in an execution history. */
const PII = {
  token: 'tok_visa',
  name: 'Wilhelmina Canaryfield',
  line1: '742 Quillfeather Lane',
  postalCode: 'QX7 3ZV',
};
const piiAddress = (postalCode = PII.postalCode) => ({
  name: PII.name,
  line1: PII.line1,
  city: 'London',
  postalCode,
  country: 'GB',
});

async function accept(overrides: Record<string, unknown> = {}, customerId?: string) {
  const headers: Record<string, string> =
    customerId === undefined ? {} : { authorization: await bearer(customerId) };
  const accepted = await postOrder(orderBody(overrides), headers);
  expect({ status: accepted.status, body: accepted.json }).toMatchObject({ status: 202 });
  return { orderId: String(accepted.json.orderId), executionArn: String(accepted.json.executionArn) };
}

async function unauthorizedAnswer(response: Response) {
  return {
    status: response.status,
    body: (await response.json()) as unknown,
    wwwAuthenticate: response.headers.get('www-authenticate'),
  };
}

async function storedRecords(orderId: string, shipmentId: string) {
  const [order, shipment] = await Promise.all([
    e2e.dynamodb.send(new GetCommand({ TableName: e2e.ordersTable, Key: { orderId }, ConsistentRead: true })),
    e2e.dynamodb.send(
      new GetCommand({ TableName: e2e.shipmentsTable, Key: { shipmentId }, ConsistentRead: true }),
    ),
  ]);
  return { order: order.Item, shipment: shipment.Item };
}

async function fullHistory(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await e2e.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

describe('customers authenticate with a JWT (the gateway answers as API Gateway does)', () => {
  const expired = async () => `Bearer ${(await localIssuer()).sign('cus_e2e', { expiresInSeconds: -3600 })}`;
  const badSignature = async () => {
    const [header, payload, signature = ''] = (await localIssuer()).sign('cus_e2e').split('.');
    // The same claims with another signature: one flipped character of the RS256 signature.
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    return `Bearer ${header}.${payload}.${flipped}`;
  };
  const forgedSubject = async () => {
    const [header, payload = '', signature] = (await localIssuer()).sign('cus_e2e').split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'cus_victim' })).toString('base64url');
    return `Bearer ${header}.${forged}.${signature}`;
  };

  it.each([
    ['no token', () => Promise.resolve(undefined), /Missing Authorization header/],
    ['an expired token', expired, /expired/],
    ['a token with a bad signature', badSignature, /signature is invalid/],
    ['a token whose sub was changed after signing', forgedSubject, /signature is invalid/],
    ['a token that is not a JWT', () => Promise.resolve('Bearer not-a-jwt'), /not a JWT/],
  ])('answers POST /orders with %s with 401 and starts nothing', async (_case, authorization, reason) => {
    const before = await e2e.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: e2e.stateMachineArn, maxResults: 1000 }),
    );
    const token = await authorization();

    const response = await fetch(`${e2e.apiUrl}/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: token }),
      },
      body: JSON.stringify(orderBody()),
    });

    const answer = await unauthorizedAnswer(response);
    expect(answer).toEqual({
      status: 401,
      body: { message: 'Unauthorized' },
      wwwAuthenticate: expect.stringMatching(/^Bearer error="invalid_token" error_description="/) as unknown,
    });
    expect(answer.wwwAuthenticate).toMatch(reason);
    const after = await e2e.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: e2e.stateMachineArn, maxResults: 1000 }),
    );
    expect(after.executions?.length).toBe(before.executions?.length);
  });

  it.each([
    ['no token', () => Promise.resolve(undefined)],
    ['an expired token', expired],
    ['a token with a bad signature', badSignature],
  ])('answers GET /orders/{orderId} with %s with 401', async (_case, authorization) => {
    const token = await authorization();

    const response = await fetch(`${e2e.apiUrl}/orders/ord_01JZZZZZZZZZZZZZZZZZZZZZZZ`, {
      headers: token === undefined ? {} : { authorization: token },
    });

    expect(await unauthorizedAnswer(response)).toEqual({
      status: 401,
      body: { message: 'Unauthorized' },
      wwwAuthenticate: expect.stringMatching(/^Bearer error="invalid_token"/) as unknown,
    });
  });

  it("answers another customer's order with 404, exactly like an unknown id", async () => {
    const { orderId } = await accept({}, 'cus_owner');

    const own = await getOrder(orderId, 'cus_owner');
    const someoneElse = await fetch(`${e2e.apiUrl}/orders/${orderId}`, {
      headers: { authorization: await bearer('cus_intruder') },
    });
    const unknown = await fetch(`${e2e.apiUrl}/orders/ord_01JZZZZZZZZZZZZZZZZZZZZZZZ`, {
      headers: { authorization: await bearer('cus_intruder') },
    });

    expect(own.status).toBe(200);
    const answers = [someoneElse, unknown].map((response) => ({
      status: response.status,
      contentType: response.headers.get('content-type'),
    }));
    const [othersBody, unknownBody] = await Promise.all([someoneElse.json(), unknown.json()]);
    expect(answers).toEqual([
      { status: 404, contentType: 'application/json' },
      { status: 404, contentType: 'application/json' },
    ]);
    // Same shape and same words, but for the id the caller sent.
    expect(JSON.stringify(othersBody).replaceAll(orderId, '<id>')).toBe(
      JSON.stringify(unknownBody).replaceAll('ord_01JZZZZZZZZZZZZZZZZZZZZZZZ', '<id>'),
    );
  });
});

describe('the carrier webhook accepts only signed, fresh, first-time requests', () => {
  it('answers forged events with 401 and leaves the order and the shipment as they were; a signed one still works', async () => {
    // 99998: the sandbox carrier never comes, so the shipment waits for the webhook.
    const { orderId, executionArn } = await accept({ shippingAddress: piiAddress('99998') });
    const { shipmentId } = await waitForAwaitingPickup(orderId);
    // A signed heartbeat first: the pickup's heartbeat timeout (3 s at the e2e time scale) starts over.
    const heartbeat = { type: 'PICKUP_SCHEDULED', at: new Date().toISOString() };
    expect((await postCarrierEvent(shipmentId, heartbeat)).status).toBe(200);
    const before = await storedRecords(orderId, shipmentId);
    const pickedUp = JSON.stringify({ shipmentId, type: 'PICKED_UP' });
    const staleAt = new Date(Date.now() - (SIGNATURE_TOLERANCE_SECONDS + 60) * 1000);
    const otherShipment = JSON.stringify({ shipmentId: 'shp_fedcba9876543210fedcba98', type: 'PICKED_UP' });

    const forged = await Promise.all([
      postCarrierEvent(shipmentId, pickedUp, { signature: null }),
      postCarrierEvent(shipmentId, pickedUp, {
        signature: signWebhookPayload('not-the-secret', pickedUp, new Date()),
      }),
      postCarrierEvent(shipmentId, pickedUp, { signature: await carrierSignature(pickedUp, staleAt) }),
      // Signed for another body: the signature covers the raw body.
      postCarrierEvent(shipmentId, pickedUp, {
        signature: await carrierSignature(JSON.stringify({ shipmentId, type: 'PICKUP_SCHEDULED' })),
      }),
      postCarrierEvent(shipmentId, pickedUp, { signature: 't=abc,v1=xyz' }),
      // Validly signed, but for another shipment: the body names the shipment, so it cannot be moved to this URL.
      postCarrierEvent(shipmentId, otherShipment, { signature: await carrierSignature(otherShipment) }),
    ]);
    const after = await storedRecords(orderId, shipmentId);

    expect(forged.map(({ status, json }) => ({ status, error: json.error }))).toEqual(
      Array.from({ length: 6 }, () => ({ status: 401, error: 'Unauthorized' })),
    );
    expect(forged.map(({ json }) => String(json.message))).toEqual([
      expect.stringContaining('Missing Carrier-Signature'),
      expect.stringContaining('does not match'),
      expect.stringContaining('more than 5 minutes'),
      expect.stringContaining('does not match'),
      expect.stringContaining('must be'),
      expect.stringContaining('another shipment'),
    ]);
    expect(before.shipment).toMatchObject({ status: 'AWAITING_PICKUP' });
    expect(before.order).toMatchObject({ status: 'PAID' });
    expect(after).toEqual(before);

    const signed = await postCarrierEvent(shipmentId, pickedUp);
    const order = await waitForTerminalOrder(orderId);
    expect(await waitForExecutionEnd(executionArn)).toBe('SUCCEEDED');

    expect({ status: signed.status, json: signed.json }).toEqual({
      status: 200,
      json: { shipmentId, status: 'PICKED_UP' },
    });
    expect(order.status).toBe('SHIPPED');
  });

  it('refuses a replayed signature with 401 although the same event newly signed would be answered 200', async () => {
    const { orderId } = await accept({ shippingAddress: piiAddress('99998') });
    const { shipmentId } = await waitForAwaitingPickup(orderId);
    // The body names its shipment, so its signature is this shipment's alone; a replay of it is refused.
    const scheduled = JSON.stringify({ shipmentId, type: 'PICKUP_SCHEDULED', at: new Date().toISOString() });
    const firstAt = new Date();
    const first = await postCarrierEvent(shipmentId, scheduled, { signedAt: firstAt });
    const afterFirst = await storedRecords(orderId, shipmentId);

    const replayed = await postCarrierEvent(shipmentId, scheduled, { signature: first.signature });
    const afterReplay = await storedRecords(orderId, shipmentId);
    const resigned = await postCarrierEvent(shipmentId, scheduled, {
      // Signed in another second than the first (the timestamp is in whole seconds), so a new signature.
      signedAt: new Date(firstAt.getTime() - 1000),
    });

    expect(first.status).toBe(200);
    expect(replayed).toMatchObject({
      status: 401,
      json: { error: 'Unauthorized', message: expect.stringContaining('already received') as unknown },
    });
    expect(afterReplay).toEqual(afterFirst);
    expect(resigned.status).toBe(200);
    // The shipment holds one event per accepted request: the replay added none.
    const { shipment } = await storedRecords(orderId, shipmentId);
    expect((shipment?.events as unknown[]).length).toBe(
      (afterFirst.shipment?.events as unknown[]).length + 1,
    );
  });
});

describe('execution histories hold no personal data', () => {
  it('has no card token, name, address line or postal code in the order or the fulfilment history', async () => {
    const { orderId, executionArn } = await accept({
      payment: { token: PII.token },
      shippingAddress: piiAddress(),
    });
    const order = await waitForTerminalOrder(orderId);
    expect(order.status).toBe('SHIPPED');
    await waitForExecutionEnd(executionArn);
    const childArn = `${e2e.fulfilmentStateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
    expect(await waitForExecutionEnd(childArn)).toBe('SUCCEEDED');

    const histories = {
      order: JSON.stringify(await fullHistory(executionArn)),
      fulfilment: JSON.stringify(await fullHistory(childArn)),
    };

    // Not vacuous: both histories are the full runs of this order, with its id and the states' data.
    expect(histories.order).toContain(orderId);
    expect(histories.order).toMatch(/"paymentMethod\\?":\\?"pm_[0-9a-f]{24}/);
    expect(histories.fulfilment).toContain(orderId);
    expect(histories.fulfilment).toContain('trackingNumber');
    for (const [machine, history] of Object.entries(histories)) {
      const found = Object.values(PII).filter((value) => history.includes(value));
      expect({ machine, found }).toEqual({ machine, found: [] });
    }
  });
});
