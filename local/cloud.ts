import {
  CreateStateMachineCommand,
  ListStateMachinesCommand,
  SFNClient,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateLocalIssuer, loadOrCreateLocalSecret, type LocalIssuer } from './auth/local-issuer';
import { ensureTables, localClient, QUICK_START_JVM, startDynamoDbLocal } from './dynamodb';
import { concurrencyLimitsFromEnv, startLambdaService, type ConcurrencyLimits } from './lambda';
import { poolTaskInvoker } from './lambda/task-invoker';
import { PORT_VARIABLES, type Ports } from './ports';
import { assertPortFree, type Stoppable } from './processes';
import type { LambdaService } from './lambda';
import { seedLocalTables } from './seed';
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_STAGE,
  localFunctionArn,
  printCacheDir,
  readServiceConfig,
  resolveFunctionArns,
  type ServiceConfig,
} from './serverless-config';
import { secretVariables, withLocalSettings } from './local-settings';
import { startStepFunctionsServer } from './stepfunctions/server';
import { withServiceIntegrations } from './stepfunctions/integrations';

export const LOCAL_DATA_DIR = join(__dirname, '..', '.local');
// Defined with the rest of the names in serverless-config.ts; still importable from here.
export { LOCAL_ACCOUNT_ID, LOCAL_STAGE, localStateMachineArn } from './serverless-config';

export interface LocalCloudOptions {
  ports: Ports;
  /**
   * Keep DynamoDB's tables (dataDir/dynamodb) and Step Functions' state machines and executions (dataDir/stepfunctions)
   * on disk here, so a restart finds them and resumes running executions; in memory when absent.
   */
  dataDir?: string;
  /** Factor applied to Retry intervals and Wait states: 1 is AWS timing. */
  timeScale: number;
  /** Progress and workflow lines for a person; `() => {}` to stay quiet. */
  log: (line: string) => void;
  /** What the functions print (their structured logs), with the function's key. */
  functionLog?: (functionKey: string, line: string) => void;
  /** Local Lambda concurrency; default from LAMBDA_CONCURRENCY and friends (see local/lambda). */
  limits?: ConcurrencyLimits;
  /**
   * Called once if a service of the cloud dies on its own (DynamoDB Local exits): the cloud is half-alive from then
   * on, so the caller should stop it and say so.
   */
  onCrash?: (service: string, reason: string) => void;
  /**
   * Where the local JWT issuer's signing key and the secrets of custom.local live (kept across restarts, so tokens
   * and signatures stay valid); default dataDir/auth, or a fresh temporary folder without a dataDir.
   */
  authDir?: string;
}

export interface LocalCloud extends Stoppable {
  config: ServiceConfig;
  urls: { api: string; stepFunctions: string; dynamodb: string; lambda: string };
  lambda: LambdaService;
  /** Signs customer tokens the API accepts (`npm run token`, the e2e suite). */
  issuer: LocalIssuer;
  authDir: string;
}

/**
 * Starts the whole application offline: DynamoDB Local with the tables of serverless.yml and the seeded
 * catalog, the local Lambda service running the handlers behind the HttpApi routes (local/lambda), and the local
 * Step Functions service with the state machines of serverless.yml. Everything reaches everything through AWS
 * endpoints.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const { ports, log } = options;
  for (const [name, variable] of Object.entries(PORT_VARIABLES)) {
    await assertPortFree(ports[name as keyof Ports], variable);
  }
  const stopOnFailure: Stoppable[] = [];
  const stopAll = async () => {
    await Promise.allSettled(stopOnFailure.reverse().map((service) => service.stop()));
  };
  try {
    log('reading serverless.yml (serverless print)…');
    const printed = await readServiceConfig(LOCAL_STAGE, process.cwd(), {}, printCacheDir());
    // 127.0.0.1 rather than localhost: every service listens on IPv4 loopback, and a name that may resolve to ::1
    // first makes each new connection try IPv6 before falling back.
    const urls = {
      api: `http://127.0.0.1:${ports.http}`,
      stepFunctions: `http://127.0.0.1:${ports.stepFunctions}`,
      dynamodb: `http://127.0.0.1:${ports.dynamodb}`,
      lambda: `http://127.0.0.1:${ports.lambda}`,
    };

    log(`starting DynamoDB Local on ${urls.dynamodb}…`);
    const dataDir = (name: string) => (options.dataDir ? join(options.dataDir, name) : undefined);
    // The JIT's first tier only, as in the test kit: on 2 cores the optimizing tier's compiler threads compete with
    // the orders for the first minutes (bench --quick, paired runs: 18.4-18.9 orders/s at saturation and 28 ms of
    // DynamoDB Local CPU per order, against 12.3-13.3/s and 64-71 ms with it) and pay back little after (full runs:
    // 17.0 against 18.1/s).
    const dynamodb = await startDynamoDbLocal(
      ports.dynamodb,
      dataDir('dynamodb'),
      (reason) => options.onCrash?.('DynamoDB Local', reason),
      QUICK_START_JVM,
    );
    stopOnFailure.push(dynamodb);
    await prepareTables(printed, dynamodb.endpoint, log);

    const authDir =
      options.authDir ??
      (options.dataDir ? join(options.dataDir, 'auth') : mkdtempSync(join(tmpdir(), 'local-auth-')));
    const issuer = await loadOrCreateLocalIssuer(authDir);
    const config = await withLocalFunctions(printed, options.timeScale, authDir);
    log(
      `bundling ${Object.keys(config.functions).length} functions; Lambda on ${urls.lambda}, API on ${urls.api}…`,
    );
    const lambda = await startLambdaService({
      config,
      httpPort: ports.http,
      lambdaPort: ports.lambda,
      accountId: LOCAL_ACCOUNT_ID,
      // Bundles of its own: another local cloud or `serverless package` may be building at the same time.
      workFolder: join('.esbuild', `local-${ports.http}`),
      localEnvironment: {
        AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
        AWS_ENDPOINT_URL_SFN: urls.stepFunctions,
        AWS_ENDPOINT_URL_LAMBDA: urls.lambda,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
      jwt: issuer,
      limits: options.limits ?? concurrencyLimitsFromEnv(),
      log,
      functionOutput: options.functionLog ?? (() => {}),
    });
    stopOnFailure.push(lambda);

    log(`starting Step Functions on ${urls.stepFunctions}…`);
    const stepFunctions = await startStepFunctionsServer({
      port: ports.stepFunctions,
      region: config.region,
      accountId: LOCAL_ACCOUNT_ID,
      timeScale: options.timeScale,
      invokeTask: withServiceIntegrations(poolTaskInvoker(lambda.pool), localClient(urls.dynamodb)),
      ...(options.dataDir ? { dataDir: join(options.dataDir, 'stepfunctions') } : {}),
      log,
    });
    stopOnFailure.push(stepFunctions);
    await createStateMachines(config, urls.stepFunctions);
    return { config, urls, lambda, issuer, authDir, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The functions with serverless.yml's custom.local applied: time-scaled seconds, secrets kept in authDir. */
async function withLocalFunctions(
  config: ServiceConfig,
  timeScale: number,
  authDir: string,
): Promise<ServiceConfig> {
  const secrets = await Promise.all(
    secretVariables(config).map(async (variable): Promise<[string, string]> => [
      variable,
      await loadOrCreateLocalSecret(authDir, variable),
    ]),
  );
  return { ...config, functions: withLocalSettings(config, timeScale, Object.fromEntries(secrets)) };
}

async function prepareTables(config: ServiceConfig, endpoint: string, log: (line: string) => void) {
  const client = localClient(endpoint);
  try {
    const created = await ensureTables(client, config.tables);
    if (created.length > 0) log(`created tables ${created.join(', ')}`);
    const seeded = await seedLocalTables(client, config.tableNames);
    if (seeded) log(seeded);
  } finally {
    client.destroy();
  }
}

/** Creates each state machine of serverless.yml, its function ARNs pointing at the local functions. */
async function createStateMachines(config: ServiceConfig, endpoint: string) {
  const sfn = new SFNClient({
    endpoint,
    region: config.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const existing = await sfn.send(new ListStateMachinesCommand({}));
    const functionArn = (key: string) => localFunctionArn(config.region, config.functions[key]?.name ?? key);
    // A parent's Ref of a child state machine (a .sync task) becomes the child's local ARN.
    const stateMachineArns = Object.fromEntries(
      config.stateMachines.map((machine) => [machine.id, machine.localArn]),
    );
    for (const machine of config.stateMachines) {
      const definition = resolveFunctionArns(
        machine.definition,
        Object.keys(config.functions),
        functionArn,
        stateMachineArns,
        config.tableNames,
      );
      const stateMachineArn = stateMachineArns[machine.id];
      // Kept from the last run (the service's data dir): bring it to today's ASL; running executions keep theirs.
      if (existing.stateMachines?.some((sm) => sm.name === machine.name)) {
        await sfn.send(
          new UpdateStateMachineCommand({ stateMachineArn, definition: JSON.stringify(definition) }),
        );
        continue;
      }
      await sfn.send(
        new CreateStateMachineCommand({
          name: machine.name,
          type: machine.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
          definition: JSON.stringify(definition),
          roleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${config.service}-${config.stage}-${machine.key}`,
        }),
      );
    }
  } finally {
    sfn.destroy();
  }
}
