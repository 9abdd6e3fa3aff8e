import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedCatalog } from '../scripts/seed-catalog';

/**
 * The data the local cloud and the workflow kit put into the tables they have just created (the service's own
 * part of local/: a new service replaces this file). Here: data/catalog.json into the `*-catalog` table.
 * Returns a line for the log, or undefined when there was nothing to seed.
 */
export async function seedLocalTables(
  client: DynamoDBClient,
  tableNames: readonly string[],
): Promise<string | undefined> {
  const catalog = tableNames.find((name) => name.endsWith('-catalog'));
  if (!catalog) throw new Error('serverless.yml defines no catalog table (a table named *-catalog)');
  const count = await seedCatalog(DynamoDBDocumentClient.from(client), catalog);
  return `seeded ${count} catalog items into ${catalog}`;
}
