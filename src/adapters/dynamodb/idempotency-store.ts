import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  HeldKey,
  IdempotencyClaim,
  IdempotencyCompletion,
  IdempotencyStore,
} from '../../ports/idempotency-store';
import { callAws } from '../aws/errors';

// A free key, an expired record, or one in progress past its lock (the Lambda that claimed it timed out).
const CLAIMABLE =
  'attribute_not_exists(#id) OR #expiration < :now OR ' +
  '(#status = :inProgress AND attribute_exists(#lockedUntil) AND #lockedUntil < :nowMillis)';

/**
 * Idempotency records in DynamoDB, in the schema of Powertools idempotency's DynamoDB layer (HASH id; status,
 * validation, data; in_progress_expiration in epoch milliseconds; expiration in epoch seconds, the TTL attribute),
 * so the records of a deployment that still runs Powertools and of this one answer each other.
 */
export class DynamoDbIdempotencyStore<Result> implements IdempotencyStore<Result> {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async claim(key: string, claim: IdempotencyClaim, now: Date): Promise<HeldKey<Result> | undefined> {
    try {
      await callAws('DynamoDB PutItem (idempotency claim)', () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall({
              id: key,
              status: 'INPROGRESS',
              expiration: epochSeconds(claim.expiresAt),
              in_progress_expiration: claim.lockedUntil.getTime(),
              validation: claim.requestHash,
            }),
            ConditionExpression: CLAIMABLE,
            ExpressionAttributeNames: {
              '#id': 'id',
              '#expiration': 'expiration',
              '#status': 'status',
              '#lockedUntil': 'in_progress_expiration',
            },
            ExpressionAttributeValues: marshall({
              ':now': now.getTime() / 1000,
              ':nowMillis': now.getTime(),
              ':inProgress': 'INPROGRESS',
            }),
            // The record that holds the key comes back with the refusal: no second read, no GetItem permission.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && error.Item) {
        return heldKeyOf<Result>(unmarshall(error.Item));
      }
      throw error;
    }
  }

  async complete(
    key: string,
    { requestHash, result, expiresAt }: IdempotencyCompletion<Result>,
  ): Promise<void> {
    await callAws('DynamoDB UpdateItem (idempotency completion)', () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ id: key }),
          UpdateExpression:
            'SET #expiration = :expiration, #status = :completed, #data = :data, #validation = :validation',
          ExpressionAttributeNames: {
            '#expiration': 'expiration',
            '#status': 'status',
            '#data': 'data',
            '#validation': 'validation',
          },
          // removeUndefinedValues: an optional field left out of a result is left out of its replay, as in JSON.
          ExpressionAttributeValues: marshall(
            {
              ':expiration': epochSeconds(expiresAt),
              ':completed': 'COMPLETED',
              ':data': result,
              ':validation': requestHash,
            },
            { removeUndefinedValues: true },
          ),
        }),
      ),
    );
  }

  async release(key: string): Promise<void> {
    await callAws('DynamoDB DeleteItem (idempotency release)', () =>
      this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: marshall({ id: key }) })),
    );
  }
}

function heldKeyOf<Result>(item: Record<string, unknown>): HeldKey<Result> {
  const requestHash = typeof item.validation === 'string' ? item.validation : undefined;
  if (item.status === 'COMPLETED') return { status: 'COMPLETED', requestHash, result: item.data as Result };
  if (item.status === 'INPROGRESS') return { status: 'INPROGRESS', requestHash };
  throw new Error(`Idempotency record ${String(item.id)} has an unknown status: ${String(item.status)}`);
}

function epochSeconds(time: Date): number {
  return Math.round(time.getTime() / 1000);
}
