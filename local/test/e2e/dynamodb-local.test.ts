/**
 * DynamoDB Local leaves nothing in the temporary directory: its JVM extracts SQLite's native library there on every
 * start, and a stop kills the JVM before it would delete the file itself.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { localClient, startDynamoDbLocal } from '../../dynamodb';
import { freePort } from '../../ports';

it('DynamoDB Local keeps its SQLite library in a temporary directory of its own, gone once it is stopped', async () => {
  const port = await freePort();
  const dynamoDb = await startDynamoDbLocal(port);
  let tempDir: string | undefined;
  try {
    const client = localClient(dynamoDb.endpoint);
    await client.send(
      new CreateTableCommand({
        TableName: 'temp-files',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    client.destroy();
    tempDir = javaTempDirOf(port);
    expect(tempDir).toBeDefined();
    expect(readdirSync(tempDir ?? '').filter((file) => file.includes('libsqlite4java'))).toHaveLength(1);
  } finally {
    await dynamoDb.stop();
  }

  expect(existsSync(tempDir ?? '')).toBe(false);
});

/** The java.io.tmpdir of the JVM that serves `port`, from its command line. */
function javaTempDirOf(port: number): string | undefined {
  const commands = execFileSync('ps', ['-ww', '-e', '-o', 'args='], { encoding: 'utf8' }).split('\n');
  const jvm = commands.find((args) => args.startsWith('java ') && args.includes(` -port ${port} `));
  return /-Djava\.io\.tmpdir=(\S+)/.exec(jvm ?? '')?.[1];
}
