import { mkdtempSync, writeFileSync } from 'node:fs';
import { freePort } from '../../../local/ports';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTables, localClient, startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb';
import { LOCAL_STAGE, readServiceConfig } from '../../../local/serverless-config';
import { seedLocalTables } from '../../../local/seed';
import { STATE_VARIABLE, type KitState } from './state';

declare global {
  var workflowKit: { dynamoDb: DynamoDbLocal; state: KitState; readyAt: number } | undefined;
}

/**
 * Starts DynamoDB Local once for the workflow project (in memory, on a free port, so it never meets
 * `npm start`), creates the tables serverless.yml defines, seeds them (local/seed.ts), and leaves the rest to the
 * test files through a state file (globalSetup's globals are not visible to the jest workers).
 */
export default async function globalSetup(): Promise<void> {
  const [config, port] = await Promise.all([readServiceConfig(LOCAL_STAGE), freePort()]);
  const dynamoDb = await startDynamoDbLocal(port);
  try {
    const tables = Object.fromEntries(
      config.tables.map((table) => {
        const name = table.TableName ?? '';
        return [name.slice(`${config.service}-${config.stage}-`.length), name];
      }),
    );
    const client = localClient(dynamoDb.endpoint);
    try {
      await ensureTables(client, config.tables);
      await seedLocalTables(client, config.tableNames);
    } finally {
      client.destroy();
    }
    const dir = mkdtempSync(join(tmpdir(), 'workflow-kit-'));
    const state: KitState = {
      service: config.service,
      stage: config.stage,
      region: config.region,
      dynamoDbEndpoint: dynamoDb.endpoint,
      functions: Object.fromEntries(
        Object.entries(config.functions).map(([key, fn]) => [
          key,
          {
            name: fn.name,
            handler: fn.handler,
            environment: strings({ ...config.providerEnvironment, ...fn.environment }),
          },
        ]),
      ),
      tables,
      recordsDir: dir,
    };
    const file = join(dir, 'state.json');
    writeFileSync(file, JSON.stringify(state, null, 2));
    process.env[STATE_VARIABLE] = file;
    globalThis.workflowKit = { dynamoDb, state, readyAt: Date.now() };
  } catch (error) {
    await dynamoDb.stop();
    throw error;
  }
}

/** Environment values as Lambda sees them: strings only (a CloudFormation Ref has no local value). */
function strings(environment: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).flatMap(([key, value]) =>
      typeof value === 'string' || typeof value === 'number' ? [[key, String(value)]] : [],
    ),
  );
}
