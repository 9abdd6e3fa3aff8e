/**
 * The DynamoDB idempotency store against DynamoDB Local and the table serverless.yml defines: the conditional claim,
 * the record that comes back with a refused claim, completion and release, and the records Powertools idempotency
 * wrote before this store replaced it. Time is passed in (`now`, `lockedUntil`, `expiresAt`), never waited for.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { DynamoDbIdempotencyStore } from '../../src/adapters/dynamodb/idempotency-store';
import { runOnce } from '../../src/application/idempotency';
import type { IdempotencyClaim } from '../../src/ports/idempotency-store';
import { kitState } from '../../local/testkit';

interface Result {
  orderId: string;
  status: string;
}

// Endpoint and dummy credentials come from the environment the kit's setup file set.
const client = new DynamoDBClient({});
const tableName = kitState().tables.idempotency ?? '';
const store = new DynamoDbIdempotencyStore<Result>(client, tableName);

afterAll(() => client.destroy());

const NOW = new Date('2030-01-01T00:00:00.000Z');
const RESULT: Result = { orderId: 'ord_1', status: 'PENDING' };

/** A key no other test uses: the table is shared by the whole run. */
const freshKey = () => `test#${randomUUID()}`;

function claimAt(now: Date, requestHash = 'hash-A', lockMillis = 10_000): IdempotencyClaim {
  return {
    requestHash,
    lockedUntil: new Date(now.getTime() + lockMillis),
    expiresAt: new Date(now.getTime() + 60_000),
  };
}

const later = (millis: number) => new Date(NOW.getTime() + millis);

async function stored(key: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: marshall({ id: key }), ConsistentRead: true }),
  );
  return Item && unmarshall(Item);
}

describe('DynamoDB idempotency store', () => {
  it('claims a free key with an in-progress record in the Powertools schema', async () => {
    const key = freshKey();

    const held = await store.claim(key, claimAt(NOW), NOW);

    expect(held).toBeUndefined();
    expect(await stored(key)).toEqual({
      id: key,
      status: 'INPROGRESS',
      validation: 'hash-A',
      in_progress_expiration: NOW.getTime() + 10_000,
      expiration: NOW.getTime() / 1000 + 60,
    });
  });

  it('gives a later claim the completed record, with its request hash and result', async () => {
    const key = freshKey();
    await store.claim(key, claimAt(NOW), NOW);
    await store.complete(key, { requestHash: 'hash-A', result: RESULT, expiresAt: later(120_000) });

    const held = await store.claim(key, claimAt(later(1_000), 'hash-B'), later(1_000));

    expect(held).toEqual({ status: 'COMPLETED', requestHash: 'hash-A', result: RESULT });
    expect(await stored(key)).toMatchObject({
      status: 'COMPLETED',
      data: RESULT,
      expiration: NOW.getTime() / 1000 + 120,
    });
  });

  it('gives a claim of a key in progress the holder’s record, whatever the claimant’s hash', async () => {
    const key = freshKey();
    await store.claim(key, claimAt(NOW), NOW);

    const held = await store.claim(key, claimAt(later(9_999), 'hash-B'), later(9_999));

    expect(held).toEqual({ status: 'INPROGRESS', requestHash: 'hash-A' });
  });

  it('lets exactly one of many simultaneous claims of a key through', async () => {
    const key = freshKey();

    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.claim(key, claimAt(NOW, `hash-${i}`), NOW)),
    );

    const winners = outcomes.flatMap((held, i) => (held === undefined ? [i] : []));
    expect(winners).toHaveLength(1);
    const losers = outcomes.filter((held) => held !== undefined);
    expect(losers).toEqual(
      Array.from({ length: 7 }, () => ({ status: 'INPROGRESS', requestHash: `hash-${winners[0]}` })),
    );
  });

  it('takes over a key in progress past its lock (the Lambda that claimed it timed out)', async () => {
    const key = freshKey();
    await store.claim(key, claimAt(NOW, 'hash-A', 1_000), NOW);

    const held = await store.claim(key, claimAt(later(1_001), 'hash-B'), later(1_001));

    expect(held).toBeUndefined();
    expect(await stored(key)).toMatchObject({ status: 'INPROGRESS', validation: 'hash-B' });
  });

  it('overwrites an expired record, completed or not', async () => {
    const [completed, inProgress] = [freshKey(), freshKey()];
    await store.claim(completed, claimAt(NOW), NOW);
    await store.complete(completed, { requestHash: 'hash-A', result: RESULT, expiresAt: later(60_000) });
    // Locked for longer than it is kept: only its expiry frees it.
    await store.claim(inProgress, claimAt(NOW, 'hash-A', 120_000), NOW);

    const afterExpiry = later(61_000);
    const held = await Promise.all([
      store.claim(completed, claimAt(afterExpiry, 'hash-B'), afterExpiry),
      store.claim(inProgress, claimAt(afterExpiry, 'hash-B'), afterExpiry),
    ]);

    expect(held).toEqual([undefined, undefined]);
    expect(await stored(completed)).toMatchObject({ status: 'INPROGRESS', validation: 'hash-B' });
    expect(await stored(completed)).not.toHaveProperty('data');
  });

  it('keeps a completed record until it expires, however long after its lock', async () => {
    const key = freshKey();
    await store.claim(key, claimAt(NOW, 'hash-A', 1_000), NOW);
    await store.complete(key, { requestHash: 'hash-A', result: RESULT, expiresAt: later(60_000) });

    const held = await store.claim(key, claimAt(later(59_000)), later(59_000));

    expect(held).toEqual({ status: 'COMPLETED', requestHash: 'hash-A', result: RESULT });
  });

  it('deletes a released record, so the key can be claimed again', async () => {
    const key = freshKey();
    await store.claim(key, claimAt(NOW), NOW);

    await store.release(key);

    expect(await stored(key)).toBeUndefined();
    expect(await store.claim(key, claimAt(NOW, 'hash-B'), NOW)).toBeUndefined();
  });

  it('replays a POST /orders result that Powertools idempotency stored before the rollout', async () => {
    // As Powertools 2.35.0 wrote it for customer cust-1, Idempotency-Key key-1 and this body (see the golden
    // values in test/unit/application/idempotency-hash.test.ts).
    const body = {
      items: [{ sku: 'SKU-BOOK-001', quantity: 2 }],
      payment: { token: 'tok_visa' },
      shippingAddress: {
        name: 'Ada Lovelace',
        line1: '1 Main St',
        city: 'London',
        postalCode: 'N1 9GU',
        country: 'GB',
      },
    };
    const now = new Date();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({
          id: 'createOrder#GeltBSIDZRTq60gmzqFIHQ==',
          status: 'COMPLETED',
          expiration: Math.round(now.getTime() / 1000) + 3600,
          in_progress_expiration: now.getTime() + 10_000,
          validation: '3M88SA7oz4D4WvPrJsa7zg==',
          data: { status: 'PENDING', orderId: 'ord_powertools', executionArn: 'arn:execution' },
        }),
      }),
    );
    const operation = jest.fn(() => Promise.reject(new Error('must not run again')));

    const result = await runOnce(
      {
        store,
        clock: () => now,
        completionLost: (error) => {
          throw error;
        },
      },
      { keyPrefix: 'createOrder', expiresAfterSeconds: 86_400 },
      { key: 'cust-1 key-1', payload: body, lockForMillis: 10_000 },
      operation,
    );

    expect(result).toEqual({ orderId: 'ord_powertools', status: 'PENDING', executionArn: 'arn:execution' });
    expect(operation).not.toHaveBeenCalled();
  });
});
