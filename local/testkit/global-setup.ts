import type { Config } from '@jest/types';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  dynamoDbEndpoint,
  ensureTables,
  localClient,
  QUICK_START_JVM,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from '../dynamodb';
import { freePort } from '../ports';
import { LOCAL_STAGE, readServiceConfig, type ServiceConfig } from '../serverless-config';
import type { seedLocalTables } from '../seed';
import { markDatabase } from './database-ready';
import { kitStateOf, useKitState, type KitState } from './state';

declare global {
  var workflowKit:
    | {
        dynamoDb: Promise<DynamoDbLocal>;
        /** Settles when the tables are ready (undefined) or will never be (the reason). */
        prepared: Promise<Error | undefined>;
        state: KitState;
      }
    | undefined;
}

/**
 * Starts DynamoDB Local once for the workflow project (in memory, on a free port, so it never meets
 * `npm start`), creates the tables serverless.yml defines, seeds them (local/seed.ts), and leaves the rest to the
 * test files through a state file (globalSetup's globals are not visible to the jest workers). What outlives a run
 * (the printed serverless.yml, the definitions asl-validator accepted) goes to jest's cache directory, which
 * `npx jest --clearCache` empties.
 *
 * It returns before the database is ready: the JVM's start (over a second) then overlaps jest starting its workers
 * and their loading the test files, which wait for the tables themselves (database-ready.ts, setup-file.ts).
 */
export default async function globalSetup(
  _globalConfig: Config.GlobalConfig,
  projectConfig: Config.ProjectConfig,
): Promise<void> {
  const cacheDir = join(projectConfig.cacheDirectory, 'workflow-kit');
  const port = await freePort();
  // First, as it takes longest: it overlaps serverless print (when it must run: a Node process of its own), the
  // imports below and, once this returns, jest starting its workers.
  const dynamoDb = startDynamoDbLocal(port, undefined, undefined, QUICK_START_JVM);
  // Its failure is prepare's to report; without this, one while serverless print runs would count as unhandled.
  dynamoDb.catch(() => undefined);
  let config: ServiceConfig;
  let seed: typeof seedLocalTables;
  try {
    config = await readServiceConfig(LOCAL_STAGE, process.cwd(), {}, cacheDir);
    // Not imported at the top: seed.ts brings scripts/seed-catalog.ts, zod and the local cloud's whole entry
    // (~0.15 s of CPU before the JVM could start). Not later either: jest's TypeScript hook goes when this returns.
    ({ seedLocalTables: seed } = await import('../seed'));
  } catch (error) {
    await dynamoDb.then(
      (started) => started.stop(),
      () => undefined,
    );
    throw error;
  }
  const state = kitStateOf(
    config,
    dynamoDbEndpoint(port),
    mkdtempSync(join(tmpdir(), 'workflow-kit-')),
    cacheDir,
  );
  useKitState(state);
  const prepared = prepare(dynamoDb, (started) => prepareTables(started, config, seed), state.recordsDir);
  globalThis.workflowKit = { dynamoDb, prepared, state };
}

/**
 * Prepares the database once DynamoDB Local is up, then tells the test files (database-ready.ts). Never rejects:
 * resolves with the reason the tables will not be there, if any.
 */
async function prepare(
  dynamoDb: Promise<DynamoDbLocal>,
  tables: (dynamoDb: DynamoDbLocal) => Promise<void>,
  recordsDir: string,
): Promise<Error | undefined> {
  try {
    await tables(await dynamoDb);
    markDatabase(recordsDir);
    return undefined;
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(inspect(thrown));
    markDatabase(recordsDir, error);
    return error;
  }
}

/** The tables serverless.yml defines, with the seed's data. */
async function prepareTables(
  dynamoDb: DynamoDbLocal,
  config: ServiceConfig,
  seed: typeof seedLocalTables,
): Promise<void> {
  const client = localClient(dynamoDb.endpoint);
  try {
    await ensureTables(client, config.tables);
    await seed(client, config.tableNames);
  } finally {
    client.destroy();
  }
}
