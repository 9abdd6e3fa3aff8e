import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTables, localClient, startDynamoDbLocal, type DynamoDbLocal } from '../dynamodb';
import { freePort } from '../ports';
import { seedLocalTables } from '../seed';
import { readServiceConfig } from '../serverless-config';
import { kitStateOf, useKitState, type KitState } from './state';

declare global {
  var workflowKit: { dynamoDb: DynamoDbLocal; state: KitState; readyAt: number } | undefined;
}

/** The stage whose serverless.yml configuration the handlers run with (the local cloud's stage). */
const STAGE = 'local';

/**
 * Starts DynamoDB Local once for the workflow project (in memory, on a free port, so it never meets
 * `npm start`), creates the tables serverless.yml defines, seeds them (local/seed.ts), and leaves the rest to the
 * test files through a state file (globalSetup's globals are not visible to the jest workers).
 */
export default async function globalSetup(): Promise<void> {
  const [config, port] = await Promise.all([readServiceConfig(STAGE), freePort()]);
  const dynamoDb = await startDynamoDbLocal(port);
  try {
    const state = kitStateOf(config, dynamoDb.endpoint, mkdtempSync(join(tmpdir(), 'workflow-kit-')));
    const client = localClient(dynamoDb.endpoint);
    try {
      await ensureTables(client, config.tables);
      await seedLocalTables(client, Object.values(state.tables));
    } finally {
      client.destroy();
    }
    useKitState(state);
    globalThis.workflowKit = { dynamoDb, state, readyAt: Date.now() };
  } catch (error) {
    await dynamoDb.stop();
    throw error;
  }
}
