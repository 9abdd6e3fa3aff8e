import { freePorts, startLocalCloud, tableName, type LocalCloud } from '../../../local';

declare global {
  var localCloud: LocalCloud | undefined;
}

/** Retry intervals at 1 % of AWS time. */
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
  const machine = cloud.config.stateMachines.find((sm) => sm.key === 'processWorkflow');
  if (!machine) throw new Error('serverless.yml defines no processWorkflow');
  Object.assign(process.env, {
    E2E_API_URL: cloud.urls.api,
    E2E_AUTH_DIR: cloud.authDir,
    E2E_SFN_URL: cloud.urls.stepFunctions,
    E2E_DYNAMODB_URL: cloud.urls.dynamodb,
    E2E_REGION: cloud.config.region,
    E2E_STATE_MACHINE_ARN: machine.localArn,
    E2E_ITEMS_TABLE: tableName(cloud.config, 'ItemsTable'),
  });
}
