/**
 * The local Lambda service: every function of serverless.yml bundled with its esbuild options, run on worker
 * processes under Lambda-like concurrency limits, behind the Lambda Invoke API and the HttpApi routes.
 */
import { availableParallelism, totalmem } from 'node:os';
import type { Server } from 'node:http';
import { rm } from 'node:fs/promises';
import type { ServiceConfig } from '../serverless-config';
import type { Stoppable } from '../processes';
import { bundleFunctions } from './bundle';
import { createHttpApi, type JwtVerifier } from './http-api';
import { createInvokeApi } from './invoke-api';
import { LambdaPool, type ConcurrencyLimits } from './pool';
import type { FunctionSpec } from './worker';

export { LambdaPool, TooManyRequestsError, type ConcurrencyLimits } from './pool';
export type { JwtVerifier } from './http-api';

export interface LambdaServiceOptions {
  config: ServiceConfig;
  httpPort: number;
  lambdaPort: number;
  accountId: string;
  /** Where the bundles go (removed on stop). */
  workFolder: string;
  /** Variables every function gets on top of serverless.yml's (endpoints, credentials, local secrets). */
  localEnvironment: Record<string, string>;
  limits: ConcurrencyLimits;
  jwt?: JwtVerifier;
  log: (line: string) => void;
  /** Each line a function prints (its logs). */
  functionOutput: (functionKey: string, line: string) => void;
}

export interface LambdaService extends Stoppable {
  pool: LambdaPool;
}

/**
 * Default limits for this machine. Functions here mostly wait on DynamoDB Local and Step Functions, so several
 * run per core; beyond ~16 per core the workers only add memory (~60 MB each) and context switches.
 */
export function concurrencyLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ConcurrencyLimits {
  // 8 per core: the functions mostly wait on DynamoDB Local and Step Functions, but each running environment also
  // spreads the same calls over more processes, each less warmed up. Measured at saturation on 2 cores (npm run bench):
  // 16 in all -> 19.3 orders/s at 97 ms of CPU an order; 32 -> 17.3/s at 118 ms; 8 -> 17.5/s at 89 ms (slots idle).
  const total = positiveInteger(env, 'LAMBDA_CONCURRENCY', 8 * availableParallelism());
  // One environment of each function for every two cores: past that, its calls only spread over more processes, each
  // with a colder JIT. Measured at saturation on 2 cores (900 orders offered at 60/s after warm-up, 2 interleaved
  // pairs): 1 a function -> 29.0 and 30.7 orders/s at 69 and 66 ms of CPU an order (ratio to the ceiling 0.47, 0.49);
  // 2 -> 29.3 and 29.2/s at 76 and 74 ms (0.45, 0.46). With 16, the old default, every function kept up to 16 warm.
  const perFunction = positiveInteger(
    env,
    'LAMBDA_FUNCTION_CONCURRENCY',
    Math.max(1, Math.floor(availableParallelism() / 2)),
  );
  const queue = positiveInteger(env, 'LAMBDA_QUEUE', 10_000);
  return {
    total,
    perFunction,
    queue,
    // A refused request comes back after Retry-After (1 s): the waiting requests must cover that second, or the
    // functions idle while clients wait. Measured at saturation: 4 x total, 3.3 retries an order; 1 x, 6.5.
    admission: positiveInteger(env, 'LAMBDA_ADMISSION_QUEUE', 4 * total),
    warm: positiveInteger(env, 'LAMBDA_WARM_ENVIRONMENTS', defaultWarmEnvironments(total)),
    idleSeconds: positiveInteger(env, 'LAMBDA_IDLE_SECONDS', 600),
    startingAtOnce: positiveInteger(
      env,
      'LAMBDA_STARTING_ENVIRONMENTS',
      STARTING_PER_CORE * availableParallelism(),
    ),
  };
}

/**
 * A start costs about 0.1 s of CPU (Node and the function's bundle). Started all at once, as Lambda would for a burst,
 * the first requests of a run started about a hundred environments on 2 cores, each slowed by the others' starts.
 */
const STARTING_PER_CORE = 2;

/** What a warm environment costs (measured: 60–85 MB RSS per worker process). */
const ENVIRONMENT_BYTES = 80 * 2 ** 20;

/**
 * Each function keeps its own environments, so a load that runs every function needs far more warm ones than run at
 * once; too few and every invocation evicts another function's environment and pays a cold start (measured: 490 cold
 * starts in 912 invocations with 48 kept, 3 orders/s; none after warm-up with 114 kept, 20 orders/s). Up to 40 % of
 * the machine's memory, never fewer than 1.5 × the concurrency.
 */
function defaultWarmEnvironments(total: number): number {
  return Math.max(Math.ceil(total * 1.5), Math.floor((totalmem() * 0.4) / ENVIRONMENT_BYTES));
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw} is not a whole number >= 1`);
  return value;
}

export async function startLambdaService(options: LambdaServiceOptions): Promise<LambdaService> {
  const { config } = options;
  const bundles = await bundleFunctions(config, options.workFolder);
  const specs = new Map<string, FunctionSpec>();
  for (const [key, fn] of Object.entries(config.functions)) {
    const bundle = bundles.functions[key];
    if (!bundle) continue;
    const spec: FunctionSpec = {
      key,
      name: fn.name,
      ...bundle,
      timeoutSeconds: fn.timeoutSeconds,
      memorySize: fn.memorySize,
      region: config.region,
      accountId: options.accountId,
      environment: {
        ...stringValues(config.providerEnvironment),
        ...stringValues(fn.environment),
        ...options.localEnvironment,
      },
    };
    specs.set(key, spec).set(fn.name, spec);
  }
  const pool = new LambdaPool(
    specs,
    {
      runtimePath: bundles.runtimePath,
      baseEnvironment: baseEnvironment(),
      onOutput: options.functionOutput,
      log: options.log,
    },
    options.limits,
  );
  const routes = Object.entries(config.functions).flatMap(([functionKey, fn]) =>
    fn.httpRoutes.map((route) => ({ functionKey, route })),
  );
  const servers = [
    await listen(createInvokeApi(pool, options.log), options.lambdaPort),
    await listen(
      createHttpApi({
        routes,
        pool,
        region: config.region,
        accountId: options.accountId,
        ...(options.jwt ? { jwt: options.jwt } : {}),
        log: options.log,
      }),
      options.httpPort,
    ),
  ];
  return {
    pool,
    stop: async () => {
      pool.stop();
      await Promise.all(servers.map((server) => close(server)));
      await rm(options.workFolder, { recursive: true, force: true });
    },
  };
}

/** What a Lambda environment has of the host: enough to run node, nothing of the developer's shell. */
function baseEnvironment(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
  return {
    ...Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
    TZ: 'UTC',
  };
}

function stringValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Keep-alive connections from the SDK and load tools; do not let a slow client hold a socket forever.
    server.keepAliveTimeout = 5_000;
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
