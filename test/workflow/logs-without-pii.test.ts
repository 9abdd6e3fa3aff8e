/**
 * What the functions log for whole orders: POST /orders through its HTTP handler (with an Idempotency-Key), the
 * order and fulfilment workflows with the real task handlers (see local/README.md), the sandbox carrier's signed
 * webhook, and GET /orders. Every line the Powertools logger writes, at DEBUG, is captured from stdout and stderr:
 * none may hold the card token, the customer's name, address line, postal code or e-mail address.
 */
import './verbose-powertools';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { DynamoDbIdempotencyStore } from '../../src/adapters/dynamodb/idempotency-store';
import { DynamoDbOrderStore } from '../../src/adapters/dynamodb/order-store';
import { newOrderId } from '../../src/domain/order-id';
import { makeCreateOrderHandler } from '../../src/handlers/http/create-order';
import { makeGetOrderHandler } from '../../src/handlers/http/get-order';
import type { WorkflowInput } from '../../src/ports/workflow-starter';
import { logger } from '../../src/shared/powertools';
import { kitState, runWorkflow, type Json } from '../../local/testkit';
import { sandboxCarrierAnswers } from './sandbox-carrier';

/** The personal data of the orders below: distinctive, so a match is never a coincidence. */
const PII = {
  token: 'tok_visa',
  name: 'Wilhelmina Canaryfield',
  line1: '742 Quillfeather Lane',
  postalCode: 'QX7 3ZV',
  email: 'wilhelmina.canaryfield@example.org',
};
const CUSTOMER = 'cus_logs_7f3a';

const dynamoDb = new DynamoDBClient({});
const document = DynamoDBDocumentClient.from(dynamoDb, { marshallOptions: { removeUndefinedValues: true } });
const tables = kitState().tables;
const orders = new DynamoDbOrderStore(document, tables.orders ?? '');
const started: WorkflowInput[] = [];
const createOrder = makeCreateOrderHandler({
  orders,
  workflow: {
    start: (input) => {
      started.push(input);
      return Promise.resolve(`arn:aws:states:us-east-1:000000000000:execution:order:${input.orderId}`);
    },
  },
  idempotencyStore: new DynamoDbIdempotencyStore(dynamoDb, tables.idempotency ?? ''),
  newOrderId: () => newOrderId(),
  clock: () => new Date(),
  responseIncludesExecutionArn: false,
});
const getOrder = makeGetOrderHandler({ orders });

let captured: string[] = [];
const writes: jest.SpyInstance[] = [];

function context(functionName: string): Context {
  return {
    functionName,
    awsRequestId: `req-${functionName}`,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;
}

/** An HTTP API (payload 2.0) request whose token the authorizer verified; the token's claims include an e-mail. */
function request(overrides: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    headers: { 'content-type': 'application/json', 'idempotency-key': `logs-${Date.now()}-${Math.random()}` },
    requestContext: {
      authorizer: { jwt: { claims: { sub: CUSTOMER, email: PII.email }, scopes: null } },
    },
    isBase64Encoded: false,
    ...overrides,
  } as unknown as APIGatewayProxyEventV2;
}

/** POST /orders, then the order's whole workflow run, then GET /orders/{orderId}; returns the order as read. */
async function placeAndRun(token: string): Promise<{ orderId: string; status: string }> {
  const body = JSON.stringify({
    items: [{ sku: 'SKU-BOOK-001', quantity: 1 }],
    payment: { token },
    shippingAddress: {
      name: PII.name,
      line1: PII.line1,
      city: 'London',
      postalCode: PII.postalCode,
      country: 'GB',
    },
  });
  const accepted = await createOrder(request({ body }), context('createOrder'));
  expect(accepted.statusCode).toBe(202);
  const input = started.at(-1);
  if (!input) throw new Error('POST /orders started no workflow');
  await runWorkflow('order', input as unknown as Json, {
    callbacks: { RequestPickup: sandboxCarrierAnswers },
  });
  const read = await getOrder(
    request({ pathParameters: { orderId: input.orderId }, body: undefined }),
    context('getOrder'),
  );
  return JSON.parse(read.body) as { orderId: string; status: string };
}

beforeAll(() => {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    writes.push(
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
        captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        // Lines that are not the logger's (jest's own output) still reach the terminal.
        if (!String(captured.at(-1)).startsWith('{"level"'))
          return original(chunk, ...(rest as [BufferEncoding]));
        return true;
      }),
    );
  }
});

afterAll(() => {
  for (const write of writes) write.mockRestore();
  document.destroy();
});

describe('function logs hold no personal data', () => {
  it('captures what the logger writes, personal data included (so the check below can see a leak)', () => {
    captured = [];

    logger.info('capture check', { shippingAddress: { name: PII.name } });

    expect(captured.join('')).toContain(PII.name);
    captured = [];
  });

  it.each([
    [
      'a shipped order',
      'tok_visa',
      'SHIPPED',
      // The order's own functions, then the fulfilment's (RecordShipment is a direct DynamoDB write: no log).
      [
        'Order accepted',
        'Order validated',
        'Payment captured',
        'Stock reserved',
        'Shipment booked',
        'Pickup requested; waiting for the carrier',
      ],
    ],
    ['a declined payment', 'tok_declined', 'FAILED', ['Order accepted', 'Order validated', 'Order failed']],
  ])(
    'logs %s without card token, name, address line, postal code or e-mail',
    async (_case, token, status, expectedMessages) => {
      captured = [];

      const order = await placeAndRun(token);

      expect(order.status).toBe(status);
      const lines = captured.join('').split('\n').filter(Boolean);
      const messages = lines.map((line) => (JSON.parse(line) as { message: string }).message);
      // Not vacuous: the HTTP handlers and the workflow's functions logged about this very order.
      expect(messages).toEqual(expect.arrayContaining(expectedMessages));
      expect(lines.filter((line) => line.includes(order.orderId)).length).toBeGreaterThanOrEqual(
        expectedMessages.length,
      );
      const personal = { ...PII, token };
      const leaks = lines.flatMap((line) =>
        Object.entries(personal)
          .filter(([, value]) => line.includes(value))
          .map(([field]) => ({ field, line })),
      );
      expect(leaks).toEqual([]);
      expect(lines.filter((line) => /tok_[A-Za-z0-9_]/.test(line))).toEqual([]);
    },
  );
});
