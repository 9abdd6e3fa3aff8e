import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { catalogTableName, seedCatalog } from '../scripts/seed-catalog';

/**
 * The data the local cloud and the workflow kit put into the tables they have just created (the service's own
 * part of local/: a new service replaces this file). Here: data/catalog.json into serverless.yml's CatalogTable.
 * `tableNames` maps each table's logical id to its name (ServiceConfig.tableNames).
 * Returns a line for the log, or undefined when there was nothing to seed.
 */
export async function seedLocalTables(
  client: DynamoDBClient,
  tableNames: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  const catalog = catalogTableName({ tableNames }, {});
  const count = await seedCatalog(DynamoDBDocumentClient.from(client), catalog);
  return `seeded ${count} catalog items into ${catalog}`;
}
