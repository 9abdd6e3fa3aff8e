/**
 * statemachines/fulfilment.asl.json on its own (the order workflow's ShipOrder runs it as a child; see
 * order-workflow.test.ts for the paths through both). The sandbox carrier answers the pickup callback by itself:
 * requestPickup starts its workflow, which the kit runs on the same fake clock (sandbox-carrier.ts); postal codes
 * drive its answers.
 */
import './quiet-powertools';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSeenSignatures } from '../../src/adapters/dynamodb/seen-signatures';
import { DynamoDbShipmentStore } from '../../src/adapters/dynamodb/shipment-store';
import { signWebhookPayload } from '../../src/domain/webhook-signature';
import { SfnTaskCallbacks } from '../../src/adapters/sfn/task-callbacks';
import { makeCarrierEventHandler } from '../../src/handlers/http/carrier-event';
import { kitState, runWorkflow, type Faults, type Json, type RunOptions } from '../../local/testkit';
import { ADDRESS, ownCatalogItem, placeOrder } from './orders';
import { sandboxCarrierAnswers, WORKFLOW_WEBHOOK_SECRET } from './sandbox-carrier';

const document = DynamoDBDocumentClient.from(new DynamoDBClient({}));

afterAll(() => {
  document.destroy();
});

const BOOK = {
  sku: 'SKU-BOOK-001',
  name: 'Serverless Patterns (paperback)',
  unitPrice: { amount: 2999, currency: 'EUR' },
};
const STANDARD_PATH = [
  'ReserveStock',
  'ReserveItem',
  'ChooseService',
  'WaitForCollection',
  'PrepareShipment',
  'CreateShipment',
  'SendConfirmation',
  'RequestPickup',
  'Fulfilled',
];
/** The STANDARD path's states before `state`. */
const pathUpTo = (state: string) => STANDARD_PATH.slice(0, STANDARD_PATH.indexOf(state));

/**
 * The input the order workflow's ShipOrder gives the child, for `quantity` books: no address and no customer (the
 * tasks read them from the order, which is placed first).
 */
async function fulfilmentInput(
  quantity: number,
  postalCode: string = ADDRESS.postalCode,
  extraLines: Json[] = [],
  sku: string = BOOK.sku,
) {
  const amount = 2999 * quantity;
  const order = await placeOrder({
    customerId: 'cust-fulfilment',
    shippingAddress: { ...ADDRESS, postalCode },
  });
  return {
    orderId: order.orderId,
    lines: [{ ...BOOK, sku, quantity, lineTotal: { amount, currency: 'EUR' } }, ...extraLines],
    total: { amount, currency: 'EUR' },
  };
}

async function item(
  table: string,
  key: Record<string, string>,
): Promise<Record<string, unknown> | undefined> {
  const name = kitState().tables[table] ?? table;
  return (await document.send(new GetCommand({ TableName: name, Key: key, ConsistentRead: true }))).Item;
}

/** Runs the child on its own; the sandbox carrier answers the pickup unless the test answers it. */
async function run(input: Awaited<ReturnType<typeof fulfilmentInput>>, options: RunOptions = {}) {
  return runWorkflow('fulfilment', input, {
    ...options,
    callbacks: { RequestPickup: sandboxCarrierAnswers, ...options.callbacks },
  });
}

describe('fulfilment workflow', () => {
  it('reserves, waits for the STANDARD collection, books, confirms and is collected unattended', async () => {
    const book = await ownCatalogItem();
    const input = await fulfilmentInput(1, ADDRESS.postalCode, [], book);
    const stockBefore = (await item('catalog', { sku: book }))?.stock as number;

    const result = await run(input);

    expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({
      status: 'SUCCEEDED',
    });
    expect(result.states).toEqual(STANDARD_PATH);
    expect(result.waits).toEqual([{ state: 'WaitForCollection', seconds: 10 }]);
    expect(result.output).toEqual({
      shipmentId: expect.stringMatching(/^shp_/) as unknown,
      trackingNumber: expect.stringMatching(/^SBX\d{12}$/) as unknown,
      carrier: 'SANDBOX-POST',
      service: 'STANDARD',
      confirmationId: `${input.orderId}#ORDER_CONFIRMED`,
      pickup: { at: expect.any(String) as unknown },
    });
    const shipmentId = (result.output as { shipmentId: string }).shipmentId;
    expect(await item('shipments', { shipmentId })).toMatchObject({
      status: 'PICKED_UP',
      events: [{ type: 'PICKUP_SCHEDULED' }, { type: 'PICKED_UP' }],
    });
    expect(await item('reservations', { orderId: input.orderId, sku: book })).toMatchObject({
      quantity: 1,
    });
    expect((await item('catalog', { sku: book }))?.stock).toBe(stockBefore - 1);
    expect(await item('outbox', { orderId: input.orderId, messageId: 'ORDER_CONFIRMED' })).toMatchObject({
      customerId: 'cust-fulfilment',
    });
    expect(result.started?.map((round) => [round.machine, round.status, round.states])).toEqual([
      ['carrier', 'SUCCEEDED', ['ReportScheduled', 'WaitForPickup', 'ReportPickup']],
    ]);
    expect(result.started?.[0]?.waits).toEqual([{ state: 'WaitForPickup', seconds: 2 }]);
    expect(JSON.parse(result.started?.[0]?.events[0]?.executionStartedEventDetails?.input ?? '{}')).toEqual({
      shipmentId,
      orderId: input.orderId,
      first: 'PICKUP_SCHEDULED',
      last: 'PICKED_UP',
      pickupDelaySeconds: 2,
    });
  });

  it('ships EXPRESS at once from EUR 100', async () => {
    const result = await run(await fulfilmentInput(4));

    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual(STANDARD_PATH.filter((s) => s !== 'WaitForCollection'));
    expect(result.waits).toEqual([]);
    expect(result.output).toMatchObject({ service: 'EXPRESS' });
  });

  it('fails with OutOfStockError when a line cannot be reserved, reserving the others', async () => {
    const lamps = {
      sku: 'SKU-LAMP-003',
      name: 'Desk Lamp',
      quantity: 3,
      unitPrice: { amount: 4900, currency: 'EUR' },
      lineTotal: { amount: 14700, currency: 'EUR' },
    };
    const input = await fulfilmentInput(1, ADDRESS.postalCode, [lamps]);

    const result = await run(input);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('OutOfStockError');
    expect(result.cause).toContain('SKU-LAMP-003: not enough stock to reserve 3');
    expect(result.states.slice(-1)).toEqual(['FulfilmentFailed']);
    expect((await item('catalog', { sku: 'SKU-LAMP-003' }))?.stock).toBe(2);
  });

  it('fails with ShippingFailedError when the label cannot be booked (postal code 00000)', async () => {
    const result = await run(await fulfilmentInput(1, '00000'));

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ShippingFailedError');
    expect(result.states).toEqual([...pathUpTo('RequestPickup'), 'FulfilmentFailed']);
  });

  it('fails with PickupFailedError when the carrier reports PICKUP_FAILED (postal code 99999)', async () => {
    const result = await run(await fulfilmentInput(1, '99999'));

    expect(result.status).toBe('FAILED');
    expect(result).toMatchObject({ error: 'PickupFailedError' });
    expect(result.cause).toContain('nobody at the pickup address');
    expect(result.states).toEqual([...pathUpTo('Fulfilled'), 'FulfilmentFailed']);
  });

  it.each([
    ['no heartbeat for 300 s (the carrier never comes: 99998)', undefined, 300],
    ['no pickup in 900 s despite heartbeats', 'timeout' as const, 900],
  ])('cancels the pickup and fails with PickupTimeoutError after %s', async (_case, answer, seconds) => {
    const input = await fulfilmentInput(1, '99998');

    const result = await run(input, answer ? { callbacks: { RequestPickup: answer } } : {});

    expect(result.status).toBe('FAILED');
    expect(result).toMatchObject({
      error: 'PickupTimeoutError',
      cause: 'The carrier did not confirm the pickup in time',
    });
    expect(result.states).toEqual([...pathUpTo('Fulfilled'), 'CancelPickup', 'PickupTimedOut']);
    const started = result.events.find((e) => e.type === 'TaskScheduled' || e.type === 'TaskStarted');
    const timedOut = result.events.find((e) => e.type === 'TaskTimedOut');
    expect(timedOut!.timestamp!.getTime() - started!.timestamp!.getTime()).toBeGreaterThanOrEqual(
      seconds * 1000,
    );
    const shipmentId = String(
      (
        await document.send(
          new GetCommand({
            TableName: kitState().tables.outbox,
            Key: { orderId: input.orderId, messageId: 'ORDER_CONFIRMED' },
          }),
        )
      ).Item?.orderId,
    );
    expect(shipmentId).toBe(input.orderId);
  });

  it('is completed by the carrier webhook: POST /shipments/{shipmentId}/events PICKED_UP', async () => {
    const input = await fulfilmentInput(1, '99998');
    const shipments = new DynamoDbShipmentStore(document, kitState().tables.shipments ?? '');
    const sfn = new SFNClient({});
    const webhook = makeCarrierEventHandler({
      shipments,
      callbacks: new SfnTaskCallbacks(sfn),
      seenSignatures: new DynamoDbSeenSignatures(document, kitState().tables['webhook-signatures'] ?? ''),
      webhookSecret: () => Promise.resolve(WORKFLOW_WEBHOOK_SECRET),
      clock: () => new Date(),
    });
    let answered: unknown;

    const result = await run(input, {
      callbacks: {
        RequestPickup: async (_token, payload) => {
          const { shipmentId } = payload as { shipmentId: string };
          const body = JSON.stringify({ shipmentId, type: 'PICKED_UP', at: '2025-03-01T10:00:00Z' });
          const event = {
            pathParameters: { shipmentId },
            headers: {
              'content-type': 'application/json',
              'carrier-signature': signWebhookPayload(WORKFLOW_WEBHOOK_SECRET, body, new Date()),
            },
            body,
            isBase64Encoded: false,
          } as unknown as APIGatewayProxyEventV2;
          answered = await webhook(event, {} as never);
          return undefined;
        },
      },
    });
    sfn.destroy();

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ pickup: { at: '2025-03-01T10:00:00Z' } });
    expect(answered).toMatchObject({ statusCode: 200 });
  });

  describe('retries each task on ServiceUnavailable', () => {
    it.each([
      ['ReserveItem', '10115'],
      ['RequestPickup', '10115'],
      ['CancelPickup', '99998'],
    ])('%s', async (state, postalCode) => {
      const faults: Faults = { [state]: { 1: 'ServiceUnavailable' } };

      const result = await run(await fulfilmentInput(1, postalCode), { faults });

      expect(result.status).toBe(postalCode === '99998' ? 'FAILED' : 'SUCCEEDED');
      expect(result.attempts.filter((a) => a.state === state).map((a) => a.error ?? a.outcome)).toEqual([
        'ServiceUnavailable',
        'SUCCEEDED',
      ]);
      expect(result.waits.filter((w) => w.state === state)).toHaveLength(1);
    });

    // Concurrent branches: the kit may attribute an attempt to the sibling branch, so both are checked together.
    it.each(['CreateShipment', 'SendConfirmation'])('%s (in PrepareShipment)', async (state) => {
      const faults: Faults = { [state]: { 1: 'ServiceUnavailable' } };

      const result = await run(await fulfilmentInput(1), { faults });

      expect(result.status).toBe('SUCCEEDED');
      const branches = result.attempts.filter(
        (a) => a.state === 'CreateShipment' || a.state === 'SendConfirmation',
      );
      expect(branches.map((a) => a.error ?? a.outcome).sort()).toEqual([
        'SUCCEEDED',
        'SUCCEEDED',
        'ServiceUnavailable',
      ]);
    });
  });

  it.each(['ReportScheduled', 'ReportPickup'])(
    "is collected when the sandbox carrier's %s is retried after ServiceUnavailable",
    async (state) => {
      const result = await run(await fulfilmentInput(1), {
        faults: { [state]: { 1: 'ServiceUnavailable' } },
      });

      expect(result.status).toBe('SUCCEEDED');
      const round = result.started?.[0];
      expect(round?.status).toBe('SUCCEEDED');
      expect(round?.attempts.filter((a) => a.state === state).map((a) => a.error ?? a.outcome)).toEqual([
        'ServiceUnavailable',
        'SUCCEEDED',
      ]);
    },
  );

  it('still fails with PickupTimeoutError when cancelling the pickup fails', async () => {
    const result = await run(await fulfilmentInput(1, '99998'), {
      faults: { CancelPickup: { 1: new TypeError('boom') } },
    });

    expect(result).toMatchObject({ status: 'FAILED', error: 'PickupTimeoutError' });
    expect(result.states.slice(-2)).toEqual(['CancelPickup', 'PickupTimedOut']);
  });
});
