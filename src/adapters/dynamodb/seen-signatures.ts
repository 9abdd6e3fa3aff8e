import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SeenSignatures } from '../../ports/seen-signatures';
import { callAws, isConditionFailed } from '../aws/errors';

/** Seen webhook signatures in DynamoDB (HASH signature), expired by TTL on expiresAt (epoch seconds). */
export class DynamoDbSeenSignatures implements SeenSignatures {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(signature: string, expiresAt: Date): Promise<boolean> {
    try {
      await callAws('DynamoDB PutItem (webhook signature)', () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { signature, expiresAt: Math.ceil(expiresAt.getTime() / 1000) },
            ConditionExpression: 'attribute_not_exists(signature)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async release(signature: string): Promise<void> {
    await callAws('DynamoDB DeleteItem (webhook signature)', () =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { signature } })),
    );
  }
}
