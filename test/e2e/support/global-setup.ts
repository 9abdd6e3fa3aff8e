import { freePorts, LOCAL_ACCOUNT_ID, startLocalCloud, type LocalCloud } from '../../../local';

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
  const quiet = process.env.E2E_LOG !== '1';
  const log = quiet ? () => {} : (line: string) => console.log(`[local] ${line}`);
  const cloud = await startLocalCloud({
    ports,
    timeScale: TIME_SCALE,
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
    E2E_SFN_URL: cloud.urls.stepFunctions,
    E2E_DYNAMODB_URL: cloud.urls.dynamodb,
    E2E_REGION: cloud.config.region,
    E2E_STATE_MACHINE_ARN: `arn:aws:states:${cloud.config.region}:${LOCAL_ACCOUNT_ID}:stateMachine:${machine.name}`,
    E2E_FULFILMENT_STATE_MACHINE_ARN: `arn:aws:states:${cloud.config.region}:${LOCAL_ACCOUNT_ID}:stateMachine:${fulfilment.name}`,
    E2E_ORDERS_TABLE: cloud.config.tables.find((t) => t.TableName?.endsWith('-orders'))?.TableName,
    E2E_SHIPMENTS_TABLE: cloud.config.tables.find((t) => t.TableName?.endsWith('-shipments'))?.TableName,
  });
}
