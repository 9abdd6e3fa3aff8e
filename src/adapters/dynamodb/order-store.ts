import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IllegalTransitionError, OrderNotFoundError } from '../../domain/errors';
import type { Order, Payment, Refund } from '../../domain/order';
import type { OrderStatus } from '../../domain/status';
import type { OrderStore, PaymentAttemptCounter, StatusChange } from '../../ports/order-store';
import { callAws, isConditionFailed } from '../aws/errors';

/** Orders in DynamoDB (HASH orderId). Status changes are conditional UpdateItems; history is appended. */
export class DynamoDbOrderStore implements OrderStore, PaymentAttemptCounter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(order: Order): Promise<void> {
    await callAws('DynamoDB PutItem (order)', () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: order,
          ConditionExpression: 'attribute_not_exists(orderId)',
        }),
      ),
    );
  }

  async get(orderId: string): Promise<Order | undefined> {
    const result = await callAws('DynamoDB GetItem (order)', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true })),
    );
    return result.Item as Order | undefined;
  }

  async transition(
    orderId: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    change: StatusChange = {},
  ): Promise<Order> {
    if (from.length === 0) throw new Error(`No status may move to ${to}`);
    const now = this.clock().toISOString();
    const names: Record<string, string> = {
      '#status': 'status',
      '#updatedAt': 'updatedAt',
      '#history': 'history',
    };
    const values: Record<string, unknown> = { ':to': to, ':now': now, ':entry': [{ status: to, at: now }] };
    const sets = ['#status = :to', '#updatedAt = :now', '#history = list_append(#history, :entry)'];
    for (const [field, value] of Object.entries(change)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    from.forEach((status, index) => (values[`:from${index}`] = status));
    const expected = from.map((_, index) => `:from${index}`).join(', ');

    try {
      const result = await callAws('DynamoDB UpdateItem (order status)', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { orderId },
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: `attribute_exists(orderId) AND #status IN (${expected})`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result.Attributes as Order;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // The rare path: find out why the condition failed. A repeat of a move that already happened is a no-op.
      const current = await this.get(orderId);
      if (!current) throw new OrderNotFoundError(orderId, { cause: error });
      if (current.status === to) return current;
      throw new IllegalTransitionError(
        `Order ${orderId} is ${current.status}; it cannot move to ${to} (expected ${from.join(' or ')})`,
        { cause: error },
      );
    }
  }

  async recordRefund(
    orderId: string,
    charge: Pick<Payment, 'chargeId' | 'amount'>,
    refund: Refund,
  ): Promise<Order> {
    try {
      const result = await callAws('DynamoDB UpdateItem (refund)', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { orderId },
            UpdateExpression: 'SET #payment = :payment, #updatedAt = :now',
            // Once: a second refund (a retried task) must not replace the first one's id and time. The payment is
            // this charge's, or none was recorded (the charge's write was lost).
            ConditionExpression:
              'attribute_exists(#orderId) AND attribute_not_exists(#payment.#refund) AND ' +
              '(attribute_not_exists(#payment) OR #payment.#chargeId = :chargeId)',
            ExpressionAttributeNames: {
              '#orderId': 'orderId',
              '#payment': 'payment',
              '#refund': 'refund',
              '#chargeId': 'chargeId',
              '#updatedAt': 'updatedAt',
            },
            ExpressionAttributeValues: {
              ':payment': { chargeId: charge.chargeId, amount: charge.amount, refund },
              ':chargeId': charge.chargeId,
              ':now': this.clock().toISOString(),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result.Attributes as Order;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const current = await this.get(orderId);
      if (!current) throw new OrderNotFoundError(orderId, { cause: error });
      if (current.payment?.refund) return current;
      throw new IllegalTransitionError(
        `Order ${orderId} was paid with another charge than ${charge.chargeId}`,
        {
          cause: error,
        },
      );
    }
  }

  async recordPaymentAttempt(orderId: string): Promise<number> {
    try {
      const result = await callAws('DynamoDB UpdateItem (payment attempts)', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { orderId },
            // ADD is atomic, so concurrent or cross-container attempts are all counted.
            UpdateExpression: 'ADD paymentAttempts :one',
            ConditionExpression: 'attribute_exists(orderId)',
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      const attempts: unknown = result.Attributes?.paymentAttempts;
      if (typeof attempts !== 'number') throw new Error(`Order ${orderId}: paymentAttempts was not returned`);
      return attempts;
    } catch (error) {
      if (isConditionFailed(error)) throw new OrderNotFoundError(orderId, { cause: error });
      throw error;
    }
  }
}
