import type { Config } from '@jest/types';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureTables,
  localClient,
  FIRST_TIER_JIT,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from '../dynamodb';
import { freePort } from '../ports';
import { seedLocalTables } from '../seed';
import { LOCAL_STAGE, readServiceConfig } from '../serverless-config';
import { kitStateOf, useKitState, type KitState } from './state';

declare global {
  var workflowKit: { dynamoDb: DynamoDbLocal; state: KitState; readyAt: number } | undefined;
}

/**
 * Starts DynamoDB Local once for the workflow project (in memory, on a free port, so it never meets
 * `npm start`), creates the tables serverless.yml defines, seeds them (local/seed.ts), and leaves the rest to the
 * test files through a state file (globalSetup's globals are not visible to the jest workers). What outlives a run
 * (the printed serverless.yml, the definitions asl-validator accepted) goes to jest's cache directory, which
 * `npx jest --clearCache` empties.
 */
export default async function globalSetup(
  _globalConfig: Config.GlobalConfig,
  projectConfig: Config.ProjectConfig,
): Promise<void> {
  const cacheDir = join(projectConfig.cacheDirectory, 'workflow-kit');
  // serverless print (when it must run: a Node process of its own) and the JVM's start overlap.
  const [printed, started] = await Promise.allSettled([
    readServiceConfig(LOCAL_STAGE, process.cwd(), {}, cacheDir),
    freePort().then((port) => startDynamoDbLocal(port, undefined, undefined, FIRST_TIER_JIT)),
  ]);
  if (printed.status === 'rejected' || started.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.stop();
    throw printed.status === 'rejected' ? printed.reason : (started as PromiseRejectedResult).reason;
  }
  const [config, dynamoDb] = [printed.value, started.value];
  try {
    const state = kitStateOf(
      config,
      dynamoDb.endpoint,
      mkdtempSync(join(tmpdir(), 'workflow-kit-')),
      cacheDir,
    );
    const client = localClient(dynamoDb.endpoint);
    try {
      await ensureTables(client, config.tables);
      await seedLocalTables(client, config.tableNames);
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
