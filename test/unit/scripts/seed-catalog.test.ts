import { catalogTableName, loadCatalog, seedCatalog } from '../../../scripts/seed-catalog';
import { fakeDocumentClient } from '../support/fake-document-client';

describe('catalog seed data', () => {
  it('holds the SKUs the contract and the tests rely on, all priced in EUR minor units', () => {
    const catalog = loadCatalog();
    const bySku = new Map(catalog.map((row) => [row.sku, row]));

    expect(catalog[0]?.stock).toBeGreaterThan(0);
    expect(bySku.get('SKU-BOOK-001')?.stock).toBeGreaterThanOrEqual(100);
    expect(bySku.get('SKU-MUG-002')?.stock).toBeGreaterThan(0);
    expect(bySku.get('SKU-LAMP-003')?.stock).toBe(2);
    expect(bySku.get('SKU-POSTER-004')?.stock).toBe(0);
    expect(catalog.every((row) => row.unitPrice.currency === 'EUR')).toBe(true);
    expect(new Set(catalog.map((row) => row.sku)).size).toBe(catalog.length);
  });
});

describe('seedCatalog', () => {
  it('puts every row into the table in batches of at most 25', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      sku: `SKU-T-${i}`,
      name: `Item ${i}`,
      unitPrice: { amount: 100, currency: 'EUR' },
      stock: 1,
    }));
    const { client, sent } = fakeDocumentClient(() => ({}));

    const count = await seedCatalog(client, 'order-processing-test-catalog', rows);

    expect(count).toBe(30);
    expect(sent.map((command) => command.name)).toEqual(['BatchWriteCommand', 'BatchWriteCommand']);
    const batches = sent.map(
      (command) => (command.input.RequestItems as Record<string, unknown[]>)['order-processing-test-catalog'],
    );
    expect(batches.map((batch) => batch?.length)).toEqual([25, 5]);
    expect(batches[0]?.[0]).toEqual({ PutRequest: { Item: rows[0] } });
  });

  it('sends unprocessed items again', async () => {
    const rows = loadCatalog();
    const table = 'order-processing-test-catalog';
    const { client, sent } = fakeDocumentClient((_command, index) =>
      index === 0 ? { UnprocessedItems: { [table]: [{ PutRequest: { Item: rows[1] } }] } } : {},
    );

    await seedCatalog(client, table, rows);

    expect(sent).toHaveLength(2);
    expect(sent[1]?.input).toEqual({ RequestItems: { [table]: [{ PutRequest: { Item: rows[1] } }] } });
  });
});

describe('catalogTableName', () => {
  const config = { tableNames: { OrdersTable: 'svc-dev-orders', CatalogTable: 'svc-dev-catalog' } };

  it("names serverless.yml's CatalogTable", () => {
    expect(catalogTableName(config, {})).toBe('svc-dev-catalog');
  });

  it('prefers CATALOG_TABLE when set', () => {
    expect(catalogTableName(config, { CATALOG_TABLE: 'custom' })).toBe('custom');
  });

  it('says so when serverless.yml defines no CatalogTable', () => {
    expect(() => catalogTableName({ tableNames: {} }, {})).toThrow(
      'serverless.yml defines no table CatalogTable',
    );
  });
});
