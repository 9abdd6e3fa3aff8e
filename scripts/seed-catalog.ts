/**
 * Writes data/catalog.json to the catalog table.
 *   tsx scripts/seed-catalog.ts --stage dev [--region us-east-1]
 * The table is serverless.yml's CatalogTable for that stage unless CATALOG_TABLE is set; the SDK's standard
 * environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_PROFILE, ...) decides where it goes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import catalogJson from '../data/catalog.json';
import { readServiceConfig, tableName, type ServiceConfig } from '../local';

/** The catalog table's logical id in serverless.yml. */
export const CATALOG_TABLE = 'CatalogTable';

// BatchWriteItem accepts at most 25 requests per call.
const BATCH_SIZE = 25;
const MAX_ROUNDS = 8;

const catalogSchema = z.array(
  z.strictObject({
    sku: z.string().regex(/^SKU-[A-Z0-9-]+$/),
    name: z.string().min(1),
    unitPrice: z.strictObject({
      amount: z.number().int().nonnegative(),
      currency: z.string().regex(/^[A-Z]{3}$/),
    }),
    stock: z.number().int().nonnegative(),
  }),
);

export type CatalogRow = z.infer<typeof catalogSchema>[number];

/** The catalog seed data, validated (a typo in the JSON fails here rather than at order time). */
export function loadCatalog(): CatalogRow[] {
  return catalogSchema.parse(catalogJson);
}

/** Puts every catalog row into the table (overwriting rows with the same SKU); returns the number written. */
export async function seedCatalog(
  client: DynamoDBDocumentClient,
  tableName: string,
  rows: readonly CatalogRow[] = loadCatalog(),
): Promise<number> {
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    let requests: { PutRequest: { Item: Record<string, unknown> } }[] = rows
      .slice(start, start + BATCH_SIZE)
      .map((row) => ({ PutRequest: { Item: { ...row } } }));
    // Under throttling DynamoDB returns part of a batch as UnprocessedItems: send those again, with backoff.
    for (let round = 0; requests.length > 0; round += 1) {
      if (round === MAX_ROUNDS) throw new Error(`${requests.length} catalog rows were left unprocessed`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }
  return rows.length;
}

/** CATALOG_TABLE when set, else the name serverless.yml gives CatalogTable. */
export function catalogTableName(
  config: Pick<ServiceConfig, 'tableNames'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return env.CATALOG_TABLE ?? tableName(config, CATALOG_TABLE);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stage: { type: 'string', default: 'dev' }, region: { type: 'string' } },
  });
  const table = process.env.CATALOG_TABLE ?? catalogTableName(await readServiceConfig(values.stage));
  const client = new DynamoDBClient(values.region ? { region: values.region } : {});
  try {
    const count = await seedCatalog(DynamoDBDocumentClient.from(client), table);
    console.log(`Seeded ${count} catalog items into ${table}`);
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
