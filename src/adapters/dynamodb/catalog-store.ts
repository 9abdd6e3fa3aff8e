import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../../shared/zod-english';
import type { CatalogItem } from '../../domain/catalog';
import { ServiceUnavailable } from '../../domain/errors';
import { money } from '../../domain/money';
import type { Catalog } from '../../ports/catalog';
import { callAws } from '../aws/errors';

// BatchGetItem reads at most 100 keys per call; orders have at most 50 distinct SKUs, chunking keeps it general.
const BATCH_SIZE = 100;
const MAX_ROUNDS = 5;

const catalogRow = z.object({
  sku: z.string(),
  name: z.string(),
  unitPrice: z.object({ amount: z.number().check(z.int()), currency: z.string() }),
  stock: z.number().check(z.int(), z.gte(0)),
});

/** The catalog in DynamoDB (HASH sku). */
export class DynamoDbCatalog implements Catalog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findBySkus(skus: readonly string[]): Promise<Map<string, CatalogItem>> {
    const found = new Map<string, CatalogItem>();
    const unique = [...new Set(skus)];
    for (let start = 0; start < unique.length; start += BATCH_SIZE) {
      for (const row of await this.batchGet(unique.slice(start, start + BATCH_SIZE))) {
        // A malformed row is an operator error; fail loudly instead of pricing an order from bad data.
        const item = catalogRow.parse(row);
        found.set(item.sku, { ...item, unitPrice: money(item.unitPrice.amount, item.unitPrice.currency) });
      }
    }
    return found;
  }

  private async batchGet(skus: string[]): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    let keys: Record<string, unknown>[] = skus.map((sku) => ({ sku }));
    // DynamoDB may return part of a batch as UnprocessedKeys under load; ask again for those.
    for (let round = 0; round < MAX_ROUNDS && keys.length > 0; round += 1) {
      const result = await callAws('DynamoDB BatchGetItem (catalog)', () =>
        this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        ),
      );
      rows.push(...(result.Responses?.[this.tableName] ?? []));
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    if (keys.length > 0)
      throw new ServiceUnavailable(`DynamoDB left ${keys.length} catalog keys unprocessed`);
    return rows;
  }
}
