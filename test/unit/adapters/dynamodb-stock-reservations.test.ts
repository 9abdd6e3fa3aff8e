import { DynamoDbStockReservations } from '../../../src/adapters/dynamodb/stock-reservations';
import { OutOfStockError, ServiceUnavailable } from '../../../src/domain/errors';
import { ORDER_ID } from '../support/fixtures';
import { awsError, fakeDocumentClient } from '../support/fake-document-client';

const CATALOG = 'order-processing-test-catalog';
const RESERVATIONS = 'order-processing-test-reservations';
const NOW = new Date('2025-03-01T10:00:00.000Z');
const LAMP = { orderId: ORDER_ID, sku: 'SKU-LAMP-003', quantity: 2 };

function cancelled(...codes: string[]): Error {
  return awsError('TransactionCanceledException', 400, {
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

function reservations(responder: Parameters<typeof fakeDocumentClient>[0]) {
  const fake = fakeDocumentClient(responder);
  return {
    stock: new DynamoDbStockReservations(fake.client, CATALOG, RESERVATIONS, () => NOW),
    sent: fake.sent,
  };
}

describe('DynamoDbStockReservations', () => {
  it('records the reservation and decrements the stock only if enough is left, in one transaction', async () => {
    const { stock, sent } = reservations(() => ({}));

    await expect(stock.reserve(LAMP)).resolves.toBe(true);

    expect(sent).toEqual([
      {
        name: 'TransactWriteCommand',
        input: {
          TransactItems: [
            {
              Put: {
                TableName: RESERVATIONS,
                Item: { ...LAMP, reservedAt: NOW.toISOString() },
                ConditionExpression: 'attribute_not_exists(orderId)',
              },
            },
            {
              Update: {
                TableName: CATALOG,
                Key: { sku: 'SKU-LAMP-003' },
                UpdateExpression: 'SET #stock = #stock - :quantity',
                ConditionExpression: 'attribute_exists(sku) AND #stock >= :quantity',
                ExpressionAttributeNames: { '#stock': 'stock' },
                ExpressionAttributeValues: { ':quantity': 2 },
              },
            },
          ],
        },
      },
    ]);
  });

  it('treats an existing reservation as done (a retried reserve)', async () => {
    const { stock } = reservations(() => {
      throw cancelled('ConditionalCheckFailed', 'None');
    });

    await expect(stock.reserve(LAMP)).resolves.toBe(false);
  });

  it('throws OutOfStockError naming the SKU when the stock condition fails', async () => {
    const { stock } = reservations(() => {
      throw cancelled('None', 'ConditionalCheckFailed');
    });

    await expect(stock.reserve(LAMP)).rejects.toThrow(OutOfStockError);
    await expect(stock.reserve(LAMP)).rejects.toThrow('SKU-LAMP-003: not enough stock to reserve 2');
  });

  it('maps a transaction conflict to ServiceUnavailable, for the workflow to retry', async () => {
    const { stock } = reservations(() => {
      throw cancelled('None', 'TransactionConflict');
    });

    await expect(stock.reserve(LAMP)).rejects.toThrow(ServiceUnavailable);
  });

  it('passes other errors through', async () => {
    const { stock } = reservations(() => {
      throw awsError('ValidationException');
    });

    await expect(stock.reserve(LAMP)).rejects.toThrow('ValidationException happened');
  });

  it('releases each reservation of the order: delete it and give the units back, in one transaction each', async () => {
    const { stock, sent } = reservations((command) =>
      command.name === 'QueryCommand'
        ? {
            Items: [
              { ...LAMP, reservedAt: 'x' },
              { orderId: ORDER_ID, sku: 'SKU-MUG-002', quantity: 1 },
            ],
          }
        : {},
    );

    const released = await stock.releaseAll(ORDER_ID);

    expect(released).toEqual([LAMP, { orderId: ORDER_ID, sku: 'SKU-MUG-002', quantity: 1 }]);
    expect(sent[0]).toEqual({
      name: 'QueryCommand',
      input: {
        TableName: RESERVATIONS,
        KeyConditionExpression: 'orderId = :orderId',
        ExpressionAttributeValues: { ':orderId': ORDER_ID },
        ConsistentRead: true,
      },
    });
    expect(sent[1]?.input).toEqual({
      TransactItems: [
        {
          Delete: {
            TableName: RESERVATIONS,
            Key: { orderId: ORDER_ID, sku: 'SKU-LAMP-003' },
            ConditionExpression: 'attribute_exists(orderId)',
          },
        },
        {
          Update: {
            TableName: CATALOG,
            Key: { sku: 'SKU-LAMP-003' },
            UpdateExpression: 'ADD #stock :quantity',
            ExpressionAttributeNames: { '#stock': 'stock' },
            ExpressionAttributeValues: { ':quantity': 2 },
          },
        },
      ],
    });
  });

  it('skips a reservation released meanwhile, and fails on other errors', async () => {
    const { stock } = reservations((command, index) => {
      if (command.name === 'QueryCommand') return { Items: [LAMP] };
      throw index === 1 ? cancelled('ConditionalCheckFailed', 'None') : awsError('ValidationException');
    });

    await expect(stock.releaseAll(ORDER_ID)).resolves.toEqual([]);
    await expect(stock.releaseAll(ORDER_ID)).rejects.toThrow('ValidationException');
  });

  it('releases nothing for an order without reservations', async () => {
    const { stock } = reservations(() => ({}));

    await expect(stock.releaseAll(ORDER_ID)).resolves.toEqual([]);
  });
});
