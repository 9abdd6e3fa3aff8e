import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OutOfStockError, ServiceUnavailable } from '../../domain/errors';
import type { Reservation, StockReservations } from '../../ports/stock-reservations';
import { callAws, errorName } from '../aws/errors';

interface CancellationReason {
  Code?: string;
}

/** The per-item reasons of a cancelled transaction, in the order of its items. */
function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (errorName(error) !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code);
}

/**
 * Stock reservations in DynamoDB: a row per (orderId, sku) in the reservations table (HASH orderId, RANGE sku) and
 * the catalog's `stock`, changed together in one transaction. The reservation row makes a retried reserve or
 * release a no-op; the condition `stock >= :quantity` makes overselling impossible, however many orders race.
 */
export class DynamoDbStockReservations implements StockReservations {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly catalogTable: string,
    private readonly reservationsTable: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async reserve({ orderId, sku, quantity }: Reservation): Promise<boolean> {
    try {
      await callAws('DynamoDB TransactWriteItems (reserve stock)', () =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.reservationsTable,
                  Item: { orderId, sku, quantity, reservedAt: this.clock().toISOString() },
                  ConditionExpression: 'attribute_not_exists(orderId)',
                },
              },
              {
                Update: {
                  TableName: this.catalogTable,
                  Key: { sku },
                  UpdateExpression: 'SET #stock = #stock - :quantity',
                  ConditionExpression: 'attribute_exists(sku) AND #stock >= :quantity',
                  ExpressionAttributeNames: { '#stock': 'stock' },
                  ExpressionAttributeValues: { ':quantity': quantity },
                },
              },
            ],
          }),
        ),
      );
      return true;
    } catch (error) {
      const [reservation, stock] = cancellationCodes(error) ?? [];
      if (reservation === 'ConditionalCheckFailed') return false;
      if (stock === 'ConditionalCheckFailed') {
        throw new OutOfStockError(`${sku}: not enough stock to reserve ${quantity} for order ${orderId}`, {
          cause: error,
        });
      }
      if (reservation === 'TransactionConflict' || stock === 'TransactionConflict') {
        throw new ServiceUnavailable(`Reserving ${sku} for order ${orderId} met a concurrent update`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async releaseAll(orderId: string): Promise<Reservation[]> {
    const result = await callAws('DynamoDB Query (reservations)', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.reservationsTable,
          KeyConditionExpression: 'orderId = :orderId',
          ExpressionAttributeValues: { ':orderId': orderId },
          ConsistentRead: true,
        }),
      ),
    );
    const released: Reservation[] = [];
    for (const row of result.Items ?? []) {
      const reservation = { orderId, sku: String(row.sku), quantity: Number(row.quantity) };
      if (await this.release(reservation)) released.push(reservation);
    }
    return released;
  }

  private async release({ orderId, sku, quantity }: Reservation): Promise<boolean> {
    try {
      await callAws('DynamoDB TransactWriteItems (release stock)', () =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: this.reservationsTable,
                  Key: { orderId, sku },
                  ConditionExpression: 'attribute_exists(orderId)',
                },
              },
              {
                Update: {
                  TableName: this.catalogTable,
                  Key: { sku },
                  UpdateExpression: 'ADD #stock :quantity',
                  ExpressionAttributeNames: { '#stock': 'stock' },
                  ExpressionAttributeValues: { ':quantity': quantity },
                },
              },
            ],
          }),
        ),
      );
      return true;
    } catch (error) {
      // Released meanwhile by a concurrent or earlier attempt: nothing left to give back.
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }
}
