import '../support/quiet-powertools';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InProcessCarrierWebhook } from '../../../src/adapters/sandbox/in-process-webhook';
import type { ShipmentRecord } from '../../../src/domain/shipment';
import { signWebhookPayload } from '../../../src/domain/webhook-signature';
import { makeCarrierEventHandler } from '../../../src/handlers/http/carrier-event';
import { makeSandboxCarrierHandler } from '../../../src/handlers/tasks/sandbox-carrier';
import { lambdaContext, ORDER_ID } from '../support/fixtures';
import {
  InMemorySeenSignatures,
  InMemoryShipmentStore,
  RecordingTaskCallbacks,
} from '../support/in-memory-ports';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const SHIPMENT_ID = 'shp_0123456789abcdef01234567';
const SECRET = 'test-webhook-secret';
const webhookSecret = () => Promise.resolve(SECRET);

function aShipment(overrides: Partial<ShipmentRecord> = {}): ShipmentRecord {
  return {
    shipmentId: SHIPMENT_ID,
    orderId: ORDER_ID,
    trackingNumber: 'SBX000000000001',
    carrier: 'SANDBOX-POST',
    service: 'STANDARD',
    status: 'AWAITING_PICKUP',
    taskToken: 'token-1',
    events: [],
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...overrides,
  };
}

function setup(shipment: ShipmentRecord | null = aShipment()) {
  const shipments = new InMemoryShipmentStore();
  if (shipment) shipments.shipments.set(shipment.shipmentId, shipment);
  const callbacks = new RecordingTaskCallbacks();
  const seenSignatures = new InMemorySeenSignatures();
  const handler = makeCarrierEventHandler({
    shipments,
    callbacks,
    seenSignatures,
    webhookSecret,
    clock: () => NOW,
  });
  let sent = 0;
  /** Sends a request as it arrives; `send` signs it as a carrier does, a second later each time (a fresh signature). */
  const deliver = async (shipmentId: string, body: string, headers: Record<string, string>) => {
    const event = {
      pathParameters: { shipmentId },
      headers: { 'content-type': 'application/json', ...headers },
      body,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const response = await handler(event, lambdaContext());
    return { status: response.statusCode, json: JSON.parse(response.body) as Record<string, unknown> };
  };
  const post = (body: unknown, shipmentId = SHIPMENT_ID) => {
    const raw = typeof body === 'string' ? body : JSON.stringify({ shipmentId, ...(body as object) });
    sent += 1;
    const signature = signWebhookPayload(SECRET, raw, new Date(NOW.getTime() + sent * 1000));
    return deliver(shipmentId, raw, { 'carrier-signature': signature });
  };
  return { shipments, callbacks, seenSignatures, post, deliver };
}

describe('POST /shipments/{shipmentId}/events', () => {
  it('completes the waiting task with SendTaskSuccess on PICKED_UP and records the event', async () => {
    const { post, callbacks, shipments } = setup();

    const response = await post({ type: 'PICKED_UP', at: '2025-03-01T09:59:00Z', driver: 'ignored' });

    expect(response).toEqual({ status: 200, json: { shipmentId: SHIPMENT_ID, status: 'PICKED_UP' } });
    expect(callbacks.sent).toEqual([
      {
        kind: 'success',
        taskToken: 'token-1',
        output: { shipmentId: SHIPMENT_ID, pickedUpAt: '2025-03-01T09:59:00Z' },
      },
    ]);
    const stored = await shipments.get(SHIPMENT_ID);
    expect(stored).toMatchObject({
      status: 'PICKED_UP',
      events: [{ type: 'PICKED_UP', at: '2025-03-01T09:59:00Z' }],
    });
    expect(stored).not.toHaveProperty('taskToken');
  });

  it('fails the waiting task with PickupFailedError on PICKUP_FAILED, naming the reason', async () => {
    const { post, callbacks } = setup();

    const response = await post({ type: 'PICKUP_FAILED', reason: 'Gate closed' });

    expect(response.json).toEqual({ shipmentId: SHIPMENT_ID, status: 'PICKUP_FAILED' });
    expect(callbacks.sent).toEqual([
      {
        kind: 'failure',
        taskToken: 'token-1',
        error: 'PickupFailedError',
        cause: `The carrier could not collect shipment ${SHIPMENT_ID}: Gate closed`,
      },
    ]);
  });

  it('sends a heartbeat on PICKUP_SCHEDULED, keeping the shipment awaiting its pickup with its token', async () => {
    const { post, callbacks, shipments } = setup();

    const response = await post({ type: 'PICKUP_SCHEDULED' });

    expect(response.json).toEqual({ shipmentId: SHIPMENT_ID, status: 'AWAITING_PICKUP' });
    expect(callbacks.sent).toEqual([{ kind: 'heartbeat', taskToken: 'token-1' }]);
    expect(await shipments.get(SHIPMENT_ID)).toMatchObject({
      taskToken: 'token-1',
      events: [{ type: 'PICKUP_SCHEDULED', at: NOW.toISOString() }],
    });
  });

  it('answers a repeated PICKED_UP with 200 again, completing nothing twice', async () => {
    const { post, callbacks } = setup();

    await post({ type: 'PICKED_UP' });
    const again = await post({ type: 'PICKED_UP' });

    expect(again).toEqual({ status: 200, json: { shipmentId: SHIPMENT_ID, status: 'PICKED_UP' } });
    expect(callbacks.sent).toHaveLength(1);
  });

  it.each([
    ['a shipment the workflow stopped waiting for', aShipment({ status: 'CANCELLED', taskToken: undefined })],
    ['a pickup that already failed', aShipment({ status: 'PICKUP_FAILED', taskToken: undefined })],
    [
      'a shipment not yet handed to the carrier',
      aShipment({ status: 'LABEL_CREATED', taskToken: undefined }),
    ],
  ])('answers 409 for %s', async (_case, shipment) => {
    const { post, callbacks } = setup(shipment);

    const response = await post({ type: 'PICKED_UP' });

    expect(response.status).toBe(409);
    expect(response.json.error).toBe('Conflict');
    expect(callbacks.sent).toEqual([]);
  });

  it('answers 409 when Step Functions no longer waits for the token, leaving the shipment as it was', async () => {
    const { post, callbacks, shipments } = setup();
    callbacks.expired.add('token-1');

    const response = await post({ type: 'PICKED_UP' });

    expect(response).toMatchObject({ status: 409, json: { error: 'Conflict' } });
    expect((await shipments.get(SHIPMENT_ID))?.status).toBe('AWAITING_PICKUP');
  });

  it('answers 404 for an unknown shipment', async () => {
    const { post } = setup(null);

    const response = await post({ type: 'PICKED_UP' });

    expect(response).toMatchObject({ status: 404, json: { error: 'NotFound' } });
  });

  it.each([
    ['an unknown type', { type: 'DELIVERED' }, 'type'],
    ['a malformed time', { type: 'PICKED_UP', at: 'yesterday' }, 'at'],
    ['an empty reason', { type: 'PICKUP_FAILED', reason: ' ' }, 'reason'],
  ])('answers 400 for %s, naming the field', async (_case, body, field) => {
    const { post } = setup();

    const response = await post(body);

    expect(response.status).toBe(400);
    expect(response.json.message).toContain(`${field}: `);
  });

  it('answers 400 for a shipment id that cannot be one', async () => {
    const { post } = setup();

    const response = await post({ type: 'PICKED_UP' }, 'not-a-shipment');

    expect(response).toMatchObject({ status: 400, json: { issues: [{ field: 'shipmentId' }] } });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { post } = setup();

    expect((await post('{')).status).toBe(400);
  });
});

describe('sandboxCarrier function', () => {
  function carrier(shipment = aShipment()) {
    const shipments = new InMemoryShipmentStore();
    shipments.shipments.set(shipment.shipmentId, shipment);
    const callbacks = new RecordingTaskCallbacks();
    const webhook = new InProcessCarrierWebhook({
      shipments,
      callbacks,
      seenSignatures: new InMemorySeenSignatures(),
      webhookSecret,
      clock: () => NOW,
    });
    const handler = makeSandboxCarrierHandler({ webhook, webhookSecret, clock: () => NOW });
    const report = (type: string) =>
      handler({ shipmentId: SHIPMENT_ID, orderId: ORDER_ID, type }, lambdaContext());
    return { callbacks, report };
  }

  it('reports PICKUP_SCHEDULED through the webhook (a heartbeat), then PICKED_UP (the token completes)', async () => {
    const { report, callbacks } = carrier();

    const scheduled = await report('PICKUP_SCHEDULED');
    const pickedUp = await report('PICKED_UP');

    expect(callbacks.sent.map((c) => c.kind)).toEqual(['heartbeat', 'success']);
    expect(scheduled).toEqual({
      shipmentId: SHIPMENT_ID,
      type: 'PICKUP_SCHEDULED',
      recorded: { shipmentId: SHIPMENT_ID, status: 'AWAITING_PICKUP' },
    });
    expect(pickedUp).toMatchObject({ recorded: { status: 'PICKED_UP' } });
  });

  it('reports PICKUP_FAILED with the sandbox reason', async () => {
    const { report, callbacks } = carrier();

    await report('PICKUP_FAILED');

    expect(callbacks.sent[0]).toMatchObject({ kind: 'failure', error: 'PickupFailedError' });
    expect(callbacks.sent[0]).toMatchObject({
      cause: expect.stringContaining('nobody at the pickup address'),
    });
  });

  it('refuses an event type a carrier does not send, naming the field', async () => {
    const { report, callbacks } = carrier();

    await expect(report('DELIVERED')).rejects.toThrow(/sandboxCarrier received an invalid input.*type/s);
    expect(callbacks.sent).toEqual([]);
  });
});

describe('POST /shipments/{shipmentId}/events: signatures', () => {
  const body = JSON.stringify({ shipmentId: SHIPMENT_ID, type: 'PICKUP_FAILED', reason: 'forged' });
  const at = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000);

  it("answers 401 to a signed event sent to another shipment's URL, touching nothing", async () => {
    const { deliver, shipments, callbacks } = setup();
    const other = 'shp_fedcba9876543210fedcba98';

    const response = await deliver(other, body, {
      'carrier-signature': signWebhookPayload(SECRET, body, NOW),
    });

    expect(response.status).toBe(401);
    expect(response.json.message).toContain('another shipment');
    expect((await shipments.get(SHIPMENT_ID))?.events ?? []).toEqual([]);
    expect(callbacks.sent).toEqual([]);
  });

  it.each([
    ['no signature', {}, 'Missing Carrier-Signature'],
    ['a malformed signature', { 'carrier-signature': 'sha256=abc' }, 'must be "t=<unix seconds>'],
    [
      'a signature made with another secret',
      { 'carrier-signature': signWebhookPayload('guessed', body, NOW) },
      'does not match',
    ],
    [
      'a signature over another body',
      { 'carrier-signature': signWebhookPayload(SECRET, '{"type":"PICKED_UP"}', NOW) },
      'does not match',
    ],
    [
      'a timestamp over 5 minutes old',
      { 'carrier-signature': signWebhookPayload(SECRET, body, at(301)) },
      'more than 5 minutes',
    ],
  ])(
    'answers 401 for %s, touching neither the shipment nor the workflow',
    async (_case, headers, message) => {
      const { deliver, callbacks, shipments, seenSignatures } = setup();
      const before = await shipments.get(SHIPMENT_ID);

      const response = await deliver(SHIPMENT_ID, body, headers);

      expect(response).toMatchObject({ status: 401, json: { error: 'Unauthorized' } });
      expect(String(response.json.message)).toContain(message);
      expect(callbacks.sent).toEqual([]);
      expect(await shipments.get(SHIPMENT_ID)).toEqual(before);
      expect(seenSignatures.seen.size).toBe(0);
    },
  );

  it('accepts a signature made 4 minutes ago', async () => {
    const { deliver } = setup();

    const response = await deliver(SHIPMENT_ID, body, {
      'carrier-signature': signWebhookPayload(SECRET, body, at(240)),
    });

    expect(response.status).toBe(200);
  });

  it('answers 401 to a replay of an accepted request, completing nothing twice', async () => {
    const { deliver, callbacks } = setup();
    const headers = { 'carrier-signature': signWebhookPayload(SECRET, body, NOW) };

    const first = await deliver(SHIPMENT_ID, body, headers);
    const replay = await deliver(SHIPMENT_ID, body, headers);

    expect(first.status).toBe(200);
    expect(replay).toMatchObject({
      status: 401,
      json: { message: expect.stringContaining('already received') },
    });
    expect(callbacks.sent).toHaveLength(1);
  });

  it('lets the carrier retry a request that failed after its signature was claimed', async () => {
    const { deliver, callbacks } = setup();
    const headers = { 'carrier-signature': signWebhookPayload(SECRET, body, NOW) };
    callbacks.expired.add('token-1');

    const failed = await deliver(SHIPMENT_ID, body, headers);
    callbacks.expired.delete('token-1');
    const retried = await deliver(SHIPMENT_ID, body, headers);

    expect(failed.status).toBe(409);
    expect(retried.status).toBe(200);
  });

  it('keeps the carrier reason on the shipment as data', async () => {
    const { deliver, shipments } = setup();

    await deliver(SHIPMENT_ID, body, { 'carrier-signature': signWebhookPayload(SECRET, body, NOW) });

    expect((await shipments.get(SHIPMENT_ID))?.events).toEqual([
      { type: 'PICKUP_FAILED', at: NOW.toISOString(), reason: 'forged' },
    ]);
  });
});
