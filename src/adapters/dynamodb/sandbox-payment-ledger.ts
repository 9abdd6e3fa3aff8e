import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry, PaymentLedger } from '../sandbox/payment-gateway';
import { callAws, isConditionFailed } from '../aws/errors';

/**
 * The sandbox payment processor's ledger in DynamoDB (HASH orderId): one capture per order id, written with a
 * condition so two concurrent charges of the same order take the money once.
 */
export class DynamoDbPaymentLedger implements PaymentLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async capture(entry: Pick<LedgerEntry, 'orderId' | 'chargeId' | 'amount'>): Promise<LedgerEntry> {
    const captured: LedgerEntry = { ...entry, captures: 1 };
    try {
      await callAws('DynamoDB PutItem (payment ledger)', () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...captured, capturedAt: this.clock().toISOString() },
            ConditionExpression: 'attribute_not_exists(orderId)',
          }),
        ),
      );
      return captured;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const existing = await this.find(entry.orderId);
      if (!existing) throw error;
      return existing;
    }
  }

  async find(orderId: string): Promise<LedgerEntry | undefined> {
    const result = await callAws('DynamoDB GetItem (payment ledger)', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true })),
    );
    return result.Item as LedgerEntry | undefined;
  }

  async refund(orderId: string, refundId: string): Promise<void> {
    try {
      await callAws('DynamoDB UpdateItem (payment ledger refund)', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { orderId },
            UpdateExpression: 'SET refundId = :refundId, refundedAt = :now',
            ConditionExpression: 'attribute_exists(orderId) AND attribute_not_exists(refundId)',
            ExpressionAttributeValues: { ':refundId': refundId, ':now': this.clock().toISOString() },
          }),
        ),
      );
    } catch (error) {
      // Refunded already (a retried task): the first refund stands.
      if (!isConditionFailed(error)) throw error;
    }
  }
}
