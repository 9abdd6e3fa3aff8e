import { DynamoDbCatalog } from '../../../src/adapters/dynamodb/catalog-store';
import { ServiceUnavailable } from '../../../src/domain/errors';
import { fakeDocumentClient } from '../support/fake-document-client';

const TABLE = 'order-processing-test-catalog';
const BOOK = { sku: 'SKU-BOOK-001', name: 'Book', unitPrice: { amount: 2999, currency: 'EUR' }, stock: 10 };
const MUG = { sku: 'SKU-MUG-002', name: 'Mug', unitPrice: { amount: 1250, currency: 'EUR' }, stock: 3 };

describe('DynamoDbCatalog', () => {
  it('reads the requested SKUs in one consistent BatchGetItem, leaving unknown SKUs out', async () => {
    const { client, sent } = fakeDocumentClient(() => ({ Responses: { [TABLE]: [BOOK] } }));

    const found = await new DynamoDbCatalog(client, TABLE).findBySkus([
      'SKU-BOOK-001',
      'SKU-NOPE-1',
      'SKU-BOOK-001',
    ]);

    expect([...found.values()]).toEqual([BOOK]);
    expect(sent).toEqual([
      {
        name: 'BatchGetCommand',
        input: {
          RequestItems: {
            [TABLE]: { Keys: [{ sku: 'SKU-BOOK-001' }, { sku: 'SKU-NOPE-1' }], ConsistentRead: true },
          },
        },
      },
    ]);
  });

  it('asks again for keys DynamoDB left unprocessed', async () => {
    const { client, sent } = fakeDocumentClient((_command, index) =>
      index === 0
        ? { Responses: { [TABLE]: [BOOK] }, UnprocessedKeys: { [TABLE]: { Keys: [{ sku: 'SKU-MUG-002' }] } } }
        : { Responses: { [TABLE]: [MUG] } },
    );

    const found = await new DynamoDbCatalog(client, TABLE).findBySkus(['SKU-BOOK-001', 'SKU-MUG-002']);

    expect([...found.keys()]).toEqual(['SKU-BOOK-001', 'SKU-MUG-002']);
    expect(sent).toHaveLength(2);
  });

  it('gives up with ServiceUnavailable when keys stay unprocessed', async () => {
    const { client } = fakeDocumentClient(() => ({
      UnprocessedKeys: { [TABLE]: { Keys: [{ sku: 'SKU-MUG-002' }] } },
    }));

    await expect(new DynamoDbCatalog(client, TABLE).findBySkus(['SKU-MUG-002'])).rejects.toThrow(
      ServiceUnavailable,
    );
  });

  it('refuses a malformed catalog row instead of pricing from it', async () => {
    const { client } = fakeDocumentClient(() => ({
      Responses: { [TABLE]: [{ ...BOOK, unitPrice: { amount: 29.99, currency: 'EUR' } }] },
    }));

    await expect(new DynamoDbCatalog(client, TABLE).findBySkus(['SKU-BOOK-001'])).rejects.toThrow();
  });
});
