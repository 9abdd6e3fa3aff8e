import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Notification, Notifier } from '../../ports/notifier';
import { callAws, isConditionFailed } from '../aws/errors';

/**
 * Writes notifications to the outbox table (HASH orderId, RANGE messageId). Delivering them (email, SMS) is left
 * to a sender this app does not include, e.g. a function on the table's stream.
 * The messageId is the notification type, so one order gets at most one message of each type: a retried
 * write hits the condition and is a no-op.
 */
export class DynamoDbOutboxNotifier implements Notifier {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async notify(notification: Notification): Promise<string> {
    const messageId = notification.type;
    const notificationId = `${notification.orderId}#${messageId}`;
    try {
      await callAws('DynamoDB PutItem (outbox)', () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...notification, messageId, notificationId, createdAt: this.clock().toISOString() },
            ConditionExpression: 'attribute_not_exists(messageId)',
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    return notificationId;
  }
}
