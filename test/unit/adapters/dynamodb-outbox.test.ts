import { DynamoDbOutboxNotifier } from '../../../src/adapters/dynamodb/outbox-notifier';
import { ServiceUnavailable } from '../../../src/domain/errors';
import type { Notification } from '../../../src/ports/notifier';
import { awsError, fakeDocumentClient } from '../support/fake-document-client';

const TABLE = 'order-processing-test-outbox';
const NOW = new Date('2025-01-01T00:00:00.000Z');
const notification: Notification = {
  orderId: 'ord_1',
  type: 'ORDER_FAILED',
  customerId: 'cust-1',
  subject: 'Your order ord_1 could not be completed',
  body: 'SKU-X: unknown SKU',
};

describe('DynamoDbOutboxNotifier', () => {
  it('writes one outbox item per order and message type, only if absent', async () => {
    const { client, sent } = fakeDocumentClient();

    const id = await new DynamoDbOutboxNotifier(client, TABLE, () => NOW).notify(notification);

    expect(id).toBe('ord_1#ORDER_FAILED');
    expect(sent).toEqual([
      {
        name: 'PutCommand',
        input: {
          TableName: TABLE,
          Item: {
            ...notification,
            messageId: 'ORDER_FAILED',
            notificationId: id,
            createdAt: NOW.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(messageId)',
        },
      },
    ]);
  });

  it('treats an existing message as already sent (a retried notification is a no-op)', async () => {
    const { client } = fakeDocumentClient(() => {
      throw awsError('ConditionalCheckFailedException');
    });

    await expect(new DynamoDbOutboxNotifier(client, TABLE).notify(notification)).resolves.toBe(
      'ord_1#ORDER_FAILED',
    );
  });

  it('maps throttling to ServiceUnavailable', async () => {
    const { client } = fakeDocumentClient(() => {
      throw awsError('ThrottlingException');
    });

    await expect(new DynamoDbOutboxNotifier(client, TABLE).notify(notification)).rejects.toThrow(
      ServiceUnavailable,
    );
  });
});
