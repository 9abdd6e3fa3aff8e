import { LOCAL_DATA_DIR, startLocalCloud } from './cloud';
import { portsFromEnv } from './ports';
import { stopOnSignals } from './processes';
import { sampleRequests } from './sample-requests';
import type { LocalCloud } from './cloud';

let exiting = false;
async function stopAndExit(cloud: LocalCloud | undefined, code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  await cloud?.stop().catch((error: unknown) => console.error(error));
  process.exit(code);
}

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
  const running: { cloud?: LocalCloud } = {};
  const crash = (service: string, reason: string) => {
    console.error(
      `[local] ${service} died: ${reason}\n[local] stopping everything (a half-alive local cloud loses orders)`,
    );
    void stopAndExit(running.cloud, 1);
  };
  // An error nothing caught would leave DynamoDB Local's JVM (its own process group) running on its own.
  process.on('uncaughtException', (error) => crash('the local cloud process', error.stack ?? String(error)));
  process.on('unhandledRejection', (error) => crash('the local cloud process', String(error)));
  const cloud = await startLocalCloud({
    ports: portsFromEnv(),
    dataDir: process.env.LOCAL_DATA_DIR ?? LOCAL_DATA_DIR,
    timeScale: timeScaleFromEnv(),
    log,
    functionLog: process.env.LAMBDA_LOG === '1' ? (key, line) => console.log(`[${key}] ${line}`) : undefined,
    onCrash: crash,
  });
  running.cloud = cloud;
  const { urls } = cloud;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(
    [
      '',
      `Ready in ${seconds} s.  API ${urls.api}  ·  Step Functions ${urls.stepFunctions}  ·  DynamoDB ${urls.dynamodb}`,
      `Console (every execution as a live graph): ${urls.stepFunctions}/`,
      `A token for customer cus_local (valid 24 h; more with npm run token -- <customerId>):`,
      `  export TOKEN=${cloud.issuer.sign('cus_local', { expiresInSeconds: 24 * 3600 })}`,
      'Try:',
      ...sampleRequests(urls.api).map((line) => `  ${line}`),
      `  aws stepfunctions list-executions --endpoint-url ${urls.stepFunctions} --state-machine-arn ${cloud.config.stateMachines[0]?.localArn ?? ''}`,
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
