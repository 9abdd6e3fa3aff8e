import sampleOrder from '../data/sample-order.json';
import { LOCAL_DATA_DIR, startLocalCloud } from './cloud';
import { portsFromEnv } from './ports';
import { stopOnSignals } from './processes';

const DEFAULT_TIME_SCALE = 1;

function timeScaleFromEnv(): number {
  const raw = process.env.SFN_TIME_SCALE;
  if (raw === undefined || raw === '') return DEFAULT_TIME_SCALE;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 0) throw new Error(`SFN_TIME_SCALE=${raw} is not a number >= 0`);
  return scale;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const log = (line: string) => console.log(`[local] ${line}`);
  const cloud = await startLocalCloud({
    ports: portsFromEnv(),
    dataDir: process.env.DYNAMODB_DATA_DIR ?? `${LOCAL_DATA_DIR}/dynamodb`,
    timeScale: timeScaleFromEnv(),
    log,
    offlineLog: process.env.OFFLINE_LOG === '1' ? (line) => console.log(`[offline] ${line}`) : undefined,
  });
  const { urls } = cloud;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(
    [
      '',
      `Ready in ${seconds} s.  API ${urls.api}  ·  Step Functions ${urls.stepFunctions}  ·  DynamoDB ${urls.dynamodb}  ·  Console ${urls.stepFunctions}/`,
      'Try:',
      `  curl -si -X POST ${urls.api}/orders -H 'content-type: application/json' -d '${JSON.stringify(sampleOrder)}'`,
      `  aws stepfunctions list-executions --endpoint-url ${urls.stepFunctions} --state-machine-arn arn:aws:states:${cloud.config.region}:000000000000:stateMachine:${cloud.config.stateMachines[0]?.name ?? ''}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  stopOnSignals(cloud, log);
}

main().catch((error: unknown) => {
  console.error(`[local] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
