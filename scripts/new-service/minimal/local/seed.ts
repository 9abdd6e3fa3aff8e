import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The data the local cloud and the workflow kit put into the tables they have just created (the service's own
 * part of local/). This service starts with empty tables: write reference data here when it has some.
 * Returns a line for the log, or undefined when there was nothing to seed.
 */
export function seedLocalTables(
  _client: DynamoDBClient,
  _tableNames: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  return Promise.resolve(undefined);
}
