import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, startLocalCloud, tableName, type LocalCloud } from '../../../local';

declare global {
  var localCloud: LocalCloud | undefined;
}

/**
 * Retry intervals, Wait states and callback timeouts at 1 % of AWS time: the exhausted-retry path waits 0.35 s, not
 * 35 s, and a carrier that never comes times out after 3 s (HeartbeatSeconds 300). The local cloud scales the
 * sandbox carrier's pickup delay the same way (2 s -> 0.02 s).
 */
const TIME_SCALE = 0.01;

/**
 * Starts the whole local cloud once for the e2e project, on free ports and with an in-memory DynamoDB, so the
 * suite also passes while `npm start` holds the default ports in another terminal.
 */
export default async function globalSetup(): Promise<void> {
  const ports = await freePorts();
  // Laid out as LOCAL_DATA_DIR (its auth/ is the cloud's), so `npm run token` signs for this cloud; the tables and
  // executions stay in memory.
  const localDataDir = mkdtempSync(join(tmpdir(), 'e2e-local-data-'));
  const quiet = process.env.E2E_LOG !== '1';
  const log = quiet ? () => {} : (line: string) => console.log(`[local] ${line}`);
  const cloud = await startLocalCloud({
    ports,
    timeScale: TIME_SCALE,
    authDir: join(localDataDir, 'auth'),
    log,
    functionLog: quiet ? undefined : (key, line) => log(`[${key}] ${line}`),
  });
  globalThis.localCloud = cloud;
  const machine = cloud.config.stateMachines.find((sm) => sm.key === 'orderWorkflow');
  const fulfilment = cloud.config.stateMachines.find((sm) => sm.key === 'fulfilmentWorkflow');
  if (!machine || !fulfilment)
    throw new Error('serverless.yml defines no orderWorkflow or fulfilmentWorkflow');
  Object.assign(process.env, {
    E2E_API_URL: cloud.urls.api,
    E2E_AUTH_DIR: cloud.authDir,
    E2E_LOCAL_DATA_DIR: localDataDir,
    E2E_SFN_URL: cloud.urls.stepFunctions,
    E2E_DYNAMODB_URL: cloud.urls.dynamodb,
    E2E_LAMBDA_URL: cloud.urls.lambda,
    E2E_REGION: cloud.config.region,
    E2E_STATE_MACHINE_ARN: machine.localArn,
    E2E_FULFILMENT_STATE_MACHINE_ARN: fulfilment.localArn,
    E2E_ORDERS_TABLE: tableName(cloud.config, 'OrdersTable'),
    E2E_SHIPMENTS_TABLE: tableName(cloud.config, 'ShipmentsTable'),
    E2E_PAYMENT_LEDGER_TABLE: tableName(cloud.config, 'PaymentLedgerTable'),
  });
}
