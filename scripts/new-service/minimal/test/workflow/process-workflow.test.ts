/**
 * Every path of statemachines/process.asl.json with the real SaveItem handler against DynamoDB Local on a fake
 * clock (see local/README.md). The business rule drives the rejection; injected faults drive the paths a real
 * run cannot reach on demand (Lambda service errors, throttling, unexpected exceptions).
 */
import './quiet-powertools';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ServiceUnavailable } from '../../src/domain/errors';
import { kitState, runWorkflow } from '../../local/testkit';

const document = DynamoDBDocumentClient.from(new DynamoDBClient({}));
afterAll(() => document.destroy());

function anItem(quantity = 2) {
  return { itemId: `itm_${randomUUID()}`, customerId: 'cus_1', name: 'notebook', quantity };
}

async function storedItem(itemId: string) {
  const { Item } = await document.send(
    new GetCommand({ TableName: kitState().tables.items, Key: { itemId } }),
  );
  return Item;
}

describe('process workflow', () => {
  it('saves the item and succeeds', async () => {
    const item = anItem();

    const result = await runWorkflow('process', item);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual(['SaveItem', 'ItemSaved']);
    expect(await storedItem(item.itemId)).toMatchObject({ ...item, savedAt: expect.any(String) });
  });

  it('ends in ItemRejected, without retrying or saving, when the business rule rejects the item', async () => {
    const item = anItem(101);

    const result = await runWorkflow('process', item);

    expect(result.status).toBe('FAILED');
    expect(result.states).toEqual(['SaveItem', 'ItemRejected']);
    expect(result.error).toBe('ItemRejectedError');
    expect(result.attempts).toHaveLength(1);
    expect(await storedItem(item.itemId)).toBeUndefined();
  });

  it('retries ServiceUnavailable after 2 s and then 4 s, then saves', async () => {
    const item = anItem();
    const faults = { SaveItem: { 1: new ServiceUnavailable('DynamoDB throttled'), 2: 'ServiceUnavailable' } };

    const result = await runWorkflow('process', item, { faults });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.waits).toEqual([
      { state: 'SaveItem', seconds: 2 },
      { state: 'SaveItem', seconds: 4 },
    ]);
    expect(await storedItem(item.itemId)).toBeDefined();
  });

  it('retries a Lambda service error, then saves', async () => {
    const item = anItem();

    const result = await runWorkflow('process', item, {
      faults: { SaveItem: { 1: 'Lambda.ServiceException' } },
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.attempts).toHaveLength(2);
  });

  it.each([
    ['an unexpected exception', { 1: new TypeError('boom') }],
    ['ServiceUnavailable on every attempt', { '*': 'ServiceUnavailable' }],
    ['a task timeout', { 1: 'timeout' }],
  ] as const)('ends in ItemNotSaved after %s', async (_case, fault) => {
    const item = anItem();

    const result = await runWorkflow('process', item, { faults: { SaveItem: fault } });

    expect(result.status).toBe('FAILED');
    expect(result.states).toEqual(['SaveItem', 'ItemNotSaved']);
    expect(result.error).toBe('ItemNotSaved');
    expect(await storedItem(item.itemId)).toBeUndefined();
  });
});
