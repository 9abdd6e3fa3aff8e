/**
 * Property fuzz of the three HTTP handlers with in-memory ports: 10,000 generated requests in all (bodies, headers,
 * path parameters, verified claims and carrier signatures, from well-formed to hostile). No request may answer 5xx,
 * an invalid one must start no execution and store nothing, and an unsigned or badly signed webhook must complete no
 * task. The run time is printed, never asserted.
 */
import '../support/quiet-powertools';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import type { CreateOrderResult } from '../../../src/application/create-order';
import type { ShipmentRecord } from '../../../src/domain/shipment';
import { SIGNATURE_HEADER, signWebhookPayload } from '../../../src/domain/webhook-signature';
import { makeCarrierEventHandler } from '../../../src/handlers/http/carrier-event';
import { createOrderBody, idempotencyKeySchema } from '../../../src/handlers/http/create-order-request';
import { makeCreateOrderHandler } from '../../../src/handlers/http/create-order';
import { makeGetOrderHandler } from '../../../src/handlers/http/get-order';
import { MAX_BODY_BYTES } from '../../../src/handlers/http/json-body';
import { anOrder, lambdaContext, ORDER_ID } from '../support/fixtures';
import { InMemoryIdempotencyStore } from '../support/in-memory-idempotency';
import {
  InMemoryOrderStore,
  InMemorySeenSignatures,
  InMemoryShipmentStore,
  RecordingTaskCallbacks,
  RecordingWorkflowStarter,
} from '../support/in-memory-ports';

/** 10,000 runs in all, shared out by how much each handler has to check. */
const RUNS = { createOrder: 5_000, getOrder: 2_000, carrierEvent: 3_000 };
const SEED = Number(process.env.FUZZ_SEED ?? 20_250_301);

jest.setTimeout(600_000);

interface Tally {
  runs: number;
  serverErrors: number;
  byStatus: Record<number, number>;
  /** Executions started (createOrder) or tasks completed (carrierEvent) for a request that was not valid. */
  sideEffectsOfInvalid: number;
  ms: number;
}
const tallies: Record<string, Tally> = {};

function tally(name: string): Tally {
  tallies[name] ??= { runs: 0, serverErrors: 0, byStatus: {}, sideEffectsOfInvalid: 0, ms: 0 };
  return tallies[name];
}

function count(t: Tally, status: number): void {
  t.runs += 1;
  t.byStatus[status] = (t.byStatus[status] ?? 0) + 1;
  if (status >= 500) t.serverErrors += 1;
}

afterAll(() => {
  const total = Object.values(tallies).reduce(
    (sum, t) => ({
      runs: sum.runs + t.runs,
      serverErrors: sum.serverErrors + t.serverErrors,
      sideEffectsOfInvalid: sum.sideEffectsOfInvalid + t.sideEffectsOfInvalid,
      ms: sum.ms + t.ms,
    }),
    { runs: 0, serverErrors: 0, sideEffectsOfInvalid: 0, ms: 0 },
  );
  const lines = Object.entries(tallies).map(
    ([name, t]) =>
      `  ${name}: ${t.runs} runs, ${t.serverErrors} x 5xx, ${t.sideEffectsOfInvalid} side effects of invalid input, ` +
      `${(t.ms / 1000).toFixed(1)} s, statuses ${JSON.stringify(t.byStatus)}`,
  );
  process.stdout.write(
    `HTTP fuzz (seed ${SEED}): ${total.runs} runs, ${total.serverErrors} x 5xx, ` +
      `${total.sideEffectsOfInvalid} side effects of invalid input, ${(total.ms / 1000).toFixed(1)} s\n${lines.join('\n')}\n`,
  );
});

// ------------------------------------------------------------------------------------------ shared generators

const SUBJECT = /^[\x21-\x7E]{1,128}$/;
const validSubject = fc.oneof(
  fc.constantFrom('cust-1', 'cust-2', 'auth0|123', '3f1c2a9e-7b1d-4c55-9a51-0f0e9d6c1b22'),
  fc.stringMatching(/^[\x21-\x7E]{1,40}$/),
);
/** What API Gateway's authorizer may (or, for a route deployed without it, may not) put in requestContext. */
const requestContext = fc.oneof(
  {
    weight: 6,
    arbitrary: validSubject.map((sub) => ({ authorizer: { jwt: { claims: { sub }, scopes: null } } })),
  },
  fc.constant(undefined),
  fc.constant({}),
  fc.constant({ authorizer: { jwt: { claims: {} } } }),
  fc.anything().map((sub) => ({ authorizer: { jwt: { claims: { sub } } } })),
  fc.string({ maxLength: 200 }).map((sub) => ({ authorizer: { jwt: { claims: { sub } } } })),
);
const subjectOf = (context: unknown): string | undefined => {
  const sub = (context as { authorizer?: { jwt?: { claims?: { sub?: unknown } } } } | undefined)?.authorizer
    ?.jwt?.claims?.sub;
  return typeof sub === 'string' && SUBJECT.test(sub) ? sub : undefined;
};
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  fc.constantFrom('application/json; charset=utf-8', 'Application/JSON', 'text/plain', 'application/xml', ''),
  fc.string({ maxLength: 40 }),
);
/** Extra headers a client or proxy adds: never the ones under test (prefixed, so no case clash). */
const extraHeaders = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 20 }).map((name) => `x-${name}`),
  fc.string({ maxLength: 60 }),
  { maxKeys: 3 },
);
/** Any text a client might send as a body, from JSON values to garbage. */
const junkBody = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc.anything({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'undefined'),
  fc.constantFrom('', 'null', '[]', '{}', '{', '"x"', '1e999', '{"__proto__":{"x":1}}', '\u0000'),
);
/** A body as the HTTP API hands it over: text, base64 (binary media types) or absent. */
function encoded(body: fc.Arbitrary<string>) {
  return fc
    .tuple(body, fc.integer({ min: 0, max: 9 }))
    .map(([text, mode]) =>
      mode === 0
        ? { body: undefined as string | undefined, isBase64Encoded: false, text: '' }
        : mode === 1
          ? { body: Buffer.from(text).toString('base64'), isBase64Encoded: true, text }
          : { body: text, isBase64Encoded: false, text },
    );
}

const statusOf = (response: APIGatewayProxyStructuredResultV2) => response.statusCode ?? 0;
const jsonOf = (response: APIGatewayProxyStructuredResultV2) =>
  JSON.parse(response.body ?? 'null') as Record<string, unknown>;

// ---------------------------------------------------------------------------------------------- POST /orders

const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Analytical St',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};
const validOrder = fc.record({
  items: fc.uniqueArray(
    fc.record({
      sku: fc.constantFrom('SKU-BOOK-001', 'SKU-MUG-002', 'SKU-NOPE-999'),
      quantity: fc.integer({ min: 1, max: 100 }),
    }),
    { minLength: 1, maxLength: 3, selector: (item) => item.sku },
  ),
  payment: fc.record({ token: fc.constantFrom('tok_visa', 'tok_declined', 'tok_flaky') }),
  shippingAddress: fc.constant(ADDRESS),
});
const PATHS = [
  ['items'],
  ['items', 0],
  ['items', 0, 'sku'],
  ['items', 0, 'quantity'],
  ['payment'],
  ['payment', 'token'],
  ['shippingAddress'],
  ['shippingAddress', 'name'],
  ['shippingAddress', 'postalCode'],
  ['shippingAddress', 'country'],
  ['customerId'],
  ['unitPrice'],
  ['total'],
] as const;
/** A valid order with one field replaced by anything (or removed): the near misses a schema must catch. */
const mutatedOrder = fc
  .tuple(validOrder, fc.constantFrom(...PATHS), fc.option(fc.anything({ maxDepth: 2 }), { nil: undefined }))
  .map(([order, path, value]) => {
    const copy = structuredClone(order) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) return copy;
      node = node[key] as Record<string | number, unknown>;
    }
    const last = path.at(-1) ?? 'x';
    if (value === undefined) delete node[last];
    else node[last] = value;
    return copy;
  });
const orderText = fc.oneof(
  { weight: 3, arbitrary: validOrder.map((order) => JSON.stringify(order)) },
  { weight: 4, arbitrary: mutatedOrder.map((order) => JSON.stringify(order)) },
  { weight: 3, arbitrary: junkBody },
  validOrder.map((order) => JSON.stringify({ ...order, padding: 'x'.repeat(MAX_BODY_BYTES) })),
);
const idempotencyKey = fc.option(
  fc.oneof(fc.constantFrom('key-1', 'key-2'), fc.string({ maxLength: 300 }), fc.uuid()),
  { nil: undefined },
);

describe('POST /orders fuzz', () => {
  it(`answers ${RUNS.createOrder} generated requests without a 5xx, starting nothing for invalid ones`, async () => {
    const orders = new InMemoryOrderStore();
    const workflow = new RecordingWorkflowStarter();
    let sequence = 0;
    const handler = makeCreateOrderHandler({
      orders,
      workflow,
      idempotencyStore: new InMemoryIdempotencyStore<CreateOrderResult>(),
      newOrderId: () => `ord_01JDQ7Z8X9Y0ABC${String(sequence++).padStart(11, '0')}`,
      clock: () => new Date('2025-01-01T00:00:00.000Z'),
      responseIncludesExecutionArn: false,
    });
    const t = tally('createOrder');
    const started = Date.now();

    await fc.assert(
      fc.asyncProperty(
        encoded(orderText),
        contentType,
        idempotencyKey,
        requestContext,
        extraHeaders,
        async (body, type, key, context, extra) => {
          const headers: Record<string, string> = { ...extra, 'content-type': type };
          if (key !== undefined) headers['idempotency-key'] = key;
          const before = { executions: workflow.started.length, orders: orders.orders.size };

          const response = await handler(
            { headers, ...body, requestContext: context } as unknown as APIGatewayProxyEventV2,
            lambdaContext(),
          );

          const status = statusOf(response);
          count(t, status);
          const executions = workflow.started.length - before.executions;
          const stored = orders.orders.size - before.orders;
          // Valid: a verified customer, JSON within the size limit that the schema accepts, a good key if any.
          const parsed = (() => {
            try {
              return createOrderBody.safeParse(JSON.parse(body.text)).success;
            } catch {
              return false;
            }
          })();
          const valid =
            subjectOf(context) !== undefined &&
            type.split(';')[0]?.trim().toLowerCase() === 'application/json' &&
            body.body !== undefined &&
            Buffer.byteLength(body.text) <= MAX_BODY_BYTES &&
            parsed &&
            (key === undefined || idempotencyKeySchema.safeParse(key).success);
          if (!valid && (executions > 0 || stored > 0)) t.sideEffectsOfInvalid += 1;

          expect(status).toBeLessThan(500);
          expect(typeof jsonOf(response)).toBe('object');
          if (!valid) {
            expect([400, 401, 413, 415]).toContain(status);
            expect({ executions, stored }).toEqual({ executions: 0, stored: 0 });
          } else if (key === undefined) {
            expect({ status, executions, stored }).toEqual({ status: 202, executions: 1, stored: 1 });
          } else {
            // A reused key replays (202, nothing new) or, with another body, is refused (422).
            expect([202, 422]).toContain(status);
            expect(executions).toBe(stored);
            if (status === 422) expect(executions).toBe(0);
          }
        },
      ),
      { numRuns: RUNS.createOrder, seed: SEED },
    );
    t.ms += Date.now() - started;

    expect(t.serverErrors).toBe(0);
    expect(t.sideEffectsOfInvalid).toBe(0);
    // The generators reach every answer: accepted orders and each kind of refusal.
    expect(Object.keys(t.byStatus).map(Number)).toEqual(
      expect.arrayContaining([202, 400, 401, 413, 415, 422]),
    );
  });
});

// -------------------------------------------------------------------------------------- GET /orders/{orderId}

const orderIdParam = fc.oneof(
  fc.constant(ORDER_ID),
  fc.constant('ord_01JZZZZZZZZZZZZZZZZZZZZZZZ'),
  fc.stringMatching(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/),
  fc.string({ maxLength: 60 }),
  fc.constant(`${ORDER_ID}/../x`),
);

describe('GET /orders/{orderId} fuzz', () => {
  it(`answers ${RUNS.getOrder} generated requests without a 5xx, showing an order only to its customer`, async () => {
    const orders = new InMemoryOrderStore();
    orders.orders.set(ORDER_ID, anOrder());
    const handler = makeGetOrderHandler({ orders });
    const t = tally('getOrder');
    const started = Date.now();

    await fc.assert(
      fc.asyncProperty(
        fc.option(orderIdParam, { nil: undefined }),
        requestContext,
        extraHeaders,
        async (orderId, context, headers) => {
          const response = await handler(
            {
              headers,
              pathParameters: orderId === undefined ? undefined : { orderId },
              requestContext: context,
            } as unknown as APIGatewayProxyEventV2,
            lambdaContext(),
          );

          const status = statusOf(response);
          count(t, status);
          expect(status).toBeLessThan(500);
          const customer = subjectOf(context);
          if (customer === undefined) expect(status).toBe(401);
          else if (orderId === ORDER_ID && customer === 'cust-1') expect(status).toBe(200);
          else expect([400, 404]).toContain(status);
        },
      ),
      { numRuns: RUNS.getOrder, seed: SEED },
    );
    t.ms += Date.now() - started;

    expect(t.serverErrors).toBe(0);
    expect(Object.keys(t.byStatus).map(Number)).toEqual(expect.arrayContaining([200, 400, 401, 404]));
  });
});

// ------------------------------------------------------------------------- POST /shipments/{shipmentId}/events

const NOW = new Date('2025-03-01T10:00:00.000Z');
const SECRET = 'fuzz-webhook-secret';
const SHIPMENT_ID = 'shp_0123456789abcdef01234567';
const eventText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          // The shipment the event names (its signature binds it): mostly the one in the URL.
          shipmentId: fc.oneof(
            { weight: 5, arbitrary: fc.constant(SHIPMENT_ID) },
            fc.constant('shp_000000000000000000000000'),
          ),
          type: fc.constantFrom('PICKUP_SCHEDULED', 'PICKED_UP', 'PICKUP_FAILED', 'DELIVERED'),
          at: fc.oneof(fc.constant('2025-03-01T09:59:00Z'), fc.string({ maxLength: 30 })),
          reason: fc.string({ maxLength: 600 }),
        },
        { requiredKeys: ['shipmentId', 'type'] },
      )
      .map((event) => JSON.stringify(event)),
  },
  { weight: 2, arbitrary: junkBody },
);
type SignatureKind = 'valid' | 'missing' | 'wrong-secret' | 'stale' | 'other-body' | 'garbage';
const signatureKind = fc.constantFrom<SignatureKind>(
  'valid',
  'valid',
  'valid',
  'missing',
  'wrong-secret',
  'stale',
  'other-body',
  'garbage',
);

function signatureFor(
  kind: SignatureKind,
  body: string,
  garbage: string,
  offset: number,
): string | undefined {
  const at = new Date(NOW.getTime() + offset * 1000);
  switch (kind) {
    case 'valid':
      return signWebhookPayload(SECRET, body, at);
    case 'missing':
      return undefined;
    case 'wrong-secret':
      return signWebhookPayload('not-the-secret', body, at);
    case 'stale':
      return signWebhookPayload(SECRET, body, new Date(NOW.getTime() - 301_000 - Math.abs(offset) * 1000));
    case 'other-body':
      return signWebhookPayload(SECRET, `${body} `, at);
    case 'garbage':
      return garbage;
  }
}

function awaitingShipment(): ShipmentRecord {
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
  };
}

describe('POST /shipments/{shipmentId}/events fuzz', () => {
  it(`answers ${RUNS.carrierEvent} generated requests without a 5xx, completing no task unless signed`, async () => {
    const t = tally('carrierEvent');
    const started = Date.now();

    await fc.assert(
      fc.asyncProperty(
        encoded(eventText),
        fc.oneof(
          { weight: 6, arbitrary: fc.constant(SHIPMENT_ID) },
          fc.constant('shp_000000000000000000000000'),
          fc.string({ maxLength: 40 }),
        ),
        signatureKind,
        fc.string({ maxLength: 120 }),
        fc.integer({ min: -299, max: 299 }),
        contentType,
        async (body, shipmentId, kind, garbage, offset, type) => {
          // A fresh world per request: one shipment awaiting its pickup, nothing seen yet.
          const shipments = new InMemoryShipmentStore();
          shipments.shipments.set(SHIPMENT_ID, awaitingShipment());
          const callbacks = new RecordingTaskCallbacks();
          const handler = makeCarrierEventHandler({
            shipments,
            callbacks,
            seenSignatures: new InMemorySeenSignatures(),
            webhookSecret: () => Promise.resolve(SECRET),
            clock: () => NOW,
          });
          const signature = signatureFor(kind, body.text, garbage, offset);
          const headers: Record<string, string> = { 'content-type': type };
          if (signature !== undefined) headers[SIGNATURE_HEADER] = signature;

          const response = await handler(
            { headers, ...body, pathParameters: { shipmentId } } as unknown as APIGatewayProxyEventV2,
            lambdaContext(),
          );

          const status = statusOf(response);
          count(t, status);
          const signed = kind === 'valid';
          const unchanged =
            JSON.stringify(shipments.shipments.get(SHIPMENT_ID)) === JSON.stringify(awaitingShipment());
          if (!signed && (callbacks.sent.length > 0 || !unchanged)) t.sideEffectsOfInvalid += 1;

          expect(status).toBeLessThan(500);
          expect(typeof jsonOf(response)).toBe('object');
          if (!signed) {
            expect([400, 401, 413, 415]).toContain(status);
            expect({ callbacks: callbacks.sent, unchanged }).toEqual({ callbacks: [], unchanged: true });
          }
          if (status >= 400) expect(callbacks.sent).toEqual([]);
        },
      ),
      { numRuns: RUNS.carrierEvent, seed: SEED },
    );
    t.ms += Date.now() - started;

    expect(t.serverErrors).toBe(0);
    expect(t.sideEffectsOfInvalid).toBe(0);
    expect(Object.keys(t.byStatus).map(Number)).toEqual(expect.arrayContaining([200, 400, 401, 404, 415]));
  });
});
