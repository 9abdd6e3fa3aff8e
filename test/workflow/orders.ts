/** Order-workflow fixtures: orders created through the real application code and read back from DynamoDB. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createOrder, type CreateOrderRequest } from '../../src/application/create-order';
import { DynamoDbOrderStore } from '../../src/adapters/dynamodb/order-store';
import type { Order } from '../../src/domain/order';
import { newOrderId } from '../../src/domain/order-id';
import type { WorkflowInput } from '../../src/ports/workflow-starter';
import { kitState, type Json } from '../../local/testkit';
import { ADDRESS } from '../unit/support/fixtures';

// The one test address of the project (the unit tests' fixture), also the workflow tests' default.
export { ADDRESS };

/** Defaults: one book, paid with tok_visa, shipped to a deliverable address. */
export function orderRequest(overrides: Partial<CreateOrderRequest> = {}): CreateOrderRequest {
  return {
    customerId: 'cust-workflow',
    items: [{ sku: 'SKU-BOOK-001', quantity: 2 }],
    payment: { token: 'tok_visa' },
    shippingAddress: ADDRESS,
    ...overrides,
  };
}

let clients: { document: DynamoDBDocumentClient; orders: DynamoDbOrderStore } | undefined;

function stores() {
  if (!clients) {
    const state = kitState();
    // Endpoint and dummy credentials come from the environment the kit's setup file set.
    const document = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
    clients = { document, orders: new DynamoDbOrderStore(document, tableName(state.tables, 'orders')) };
  }
  return clients;
}

// Registered in every test file that imports these helpers: the client is per file, like jest's module registry.
afterAll(() => {
  clients?.document.destroy();
  clients = undefined;
});

/**
 * Writes a PENDING order through the real createOrder application function (as POST /orders does) and
 * returns the execution input it would have started the workflow with.
 */
export async function placeOrder(overrides: Partial<CreateOrderRequest> = {}): Promise<WorkflowInput & Json> {
  let started: WorkflowInput | undefined;
  await createOrder(
    {
      orders: stores().orders,
      workflow: {
        start: (input) => {
          started = input;
          return Promise.resolve(`arn:aws:states:us-east-1:000000000000:execution:order:${input.orderId}`);
        },
      },
      newOrderId: () => newOrderId(),
      clock: () => new Date(),
    },
    orderRequest(overrides),
  );
  if (!started) throw new Error('createOrder did not start the workflow');
  return JSON.parse(JSON.stringify(started)) as WorkflowInput & Json;
}

/**
 * A catalog item of the calling test's own: a copy of `sku` (data/catalog.json, seeded) under a new SKU, with the
 * same price and stock. A test that checks stock levels uses one, so no test in another file (another jest worker)
 * takes from that stock meanwhile.
 */
export async function ownCatalogItem(sku = 'SKU-BOOK-001'): Promise<string> {
  const { document } = stores();
  const table = tableName(kitState().tables, 'catalog');
  const { Item } = await document.send(
    new GetCommand({ TableName: table, Key: { sku }, ConsistentRead: true }),
  );
  if (!Item) throw new Error(`${sku} is not in the seeded catalog`);
  const own = `${sku}-${randomUUID().slice(0, 8).toUpperCase()}`;
  await document.send(new PutCommand({ TableName: table, Item: { ...Item, sku: own } }));
  return own;
}

/** The order as stored in DynamoDB. */
export async function storedOrder(orderId: string): Promise<Order> {
  const order = await stores().orders.get(orderId);
  if (!order) throw new Error(`Order ${orderId} is not in DynamoDB`);
  return order;
}

/** The customer notifications queued in the outbox for an order. */
export async function outboxMessages(orderId: string): Promise<Record<string, unknown>[]> {
  const result = await stores().document.send(
    new QueryCommand({
      TableName: tableName(kitState().tables, 'outbox'),
      KeyConditionExpression: 'orderId = :orderId',
      ExpressionAttributeValues: { ':orderId': orderId },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

function tableName(tables: Record<string, string>, suffix: string): string {
  const name = tables[suffix];
  if (!name) throw new Error(`serverless.yml defines no ${suffix} table`);
  return name;
}
