import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { BuildOptions } from 'esbuild';
import { esbuildOptionsFrom } from './esbuild-options';
import { localSettings, type LocalSettings } from './local-settings';
import { writeAtomically } from './write-atomically';

/** The stage serverless.yml is read for by the local cloud, the workflow kit, the bench and the load script. */
export const LOCAL_STAGE = 'local';
/** The account id local ARNs carry, as AWS's own local tools do. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** The ARN a state machine of this name has in the local Step Functions service. */
export function localStateMachineArn(region: string, name: string): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;
}

/** The ARN a function of this (deployed) name has in the local Lambda service. */
export function localFunctionArn(region: string, name: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}
import { printInputsDigest } from './print-cache';

/** The parts of serverless.yml, fully resolved for a stage, that the local cloud runs. */
export interface ServiceConfig {
  service: string;
  stage: string;
  region: string;
  /**
   * Each function's deployed name, handler (`src/handlers/x.handler`), limits, HTTP routes and own environment, whose
   * Refs of this service's state machines and tables are resolved to their local ARN and name.
   */
  functions: Record<string, FunctionConfig>;
  /** provider.httpApi (authorizers, ...) as printed. */
  httpApi: Record<string, unknown>;
  /** The esbuild options serverless-esbuild bundles with (custom.esbuild over its defaults, plugin keys removed). */
  esbuild: BuildOptions;
  /** provider.environment: what every function gets besides its own environment. */
  providerEnvironment: Record<string, unknown>;
  tables: CreateTableCommandInput[];
  /** Each table's CloudFormation logical id -> its name (what a `{"Ref": "OrdersTable"}` in an ASL resolves to). */
  tableNames: Record<string, string>;
  /** Each state machine's serverless.yml key, CloudFormation logical id, deployed name, local ARN and definition. */
  stateMachines: {
    key: string;
    id: string;
    name: string;
    /** STANDARD or EXPRESS (serverless.yml `type`). */
    type: string;
    localArn: string;
    definition: unknown;
  }[];
  /** custom.local: what the local cloud does differently for some functions. */
  local: LocalSettings;
}

export interface HttpRoute {
  method: string;
  path: string;
  /** The authorizer of the route as serverless.yml gives it (`{ name: jwtAuthorizer }`), if any. */
  authorizer?: unknown;
}

export interface FunctionConfig {
  name: string;
  handler: string;
  timeoutSeconds: number;
  memorySize: number;
  environment: Record<string, unknown>;
  httpRoutes: HttpRoute[];
}

interface PrintedFunction {
  name: string;
  handler?: string;
  timeout?: number;
  memorySize?: number;
  environment?: Record<string, unknown>;
  events?: { httpApi?: HttpRoute | string }[];
}

interface PrintedConfig {
  service: string;
  provider: {
    stage: string;
    region: string;
    timeout?: number;
    memorySize?: number;
    environment?: Record<string, unknown>;
    httpApi?: Record<string, unknown>;
  };
  custom?: { esbuild?: Record<string, unknown>; local?: Partial<LocalSettings> };
  functions?: Record<string, PrintedFunction>;
  resources?: { Resources?: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  stepFunctions?: {
    stateMachines?: Record<string, { id?: string; name?: string; type?: string; definition: unknown }>;
  };
}

const run = promisify(execFile);

/**
 * Where `npm start` and the bench keep `serverless print`'s output between runs (print-cache.ts decides when it may
 * be reused): node_modules/.cache, the folder build tools share, so a clean install starts afresh.
 */
export function printCacheDir(cwd = process.cwd()): string {
  return join(cwd, 'node_modules', '.cache', 'order-processing');
}

/**
 * Asks the Serverless Framework itself (`serverless print`) for the resolved configuration, so that
 * serverless.yml stays the one source of truth for tables, functions, environment and state machines.
 */
export async function readServiceConfig(
  stage: string,
  cwd = process.cwd(),
  /** Variables serverless.yml reads with ${env:...} (they win over this process's). */
  env: Record<string, string> = {},
  /**
   * Keep the printed configuration here while nothing print reads changes (print-cache.ts): a test run then skips
   * the framework's 1.5-2 s of CPU.
   */
  cacheDir?: string,
): Promise<ServiceConfig> {
  const environment = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', ...process.env, ...env };
  const digest = cacheDir === undefined ? undefined : printInputsDigest(stage, cwd, environment);
  const cached = cacheDir && digest ? join(cacheDir, `serverless-print-${digest}.json`) : undefined;
  if (cached && existsSync(cached))
    return toServiceConfig(JSON.parse(readFileSync(cached, 'utf8')) as PrintedConfig);
  const { stdout } = await run('serverless', ['print', '--stage', stage, '--format', 'json'], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
    // print resolves no ${aws:...} variable, but the framework wants some credentials to exist.
    env: environment,
  });
  const config = toServiceConfig(JSON.parse(stdout) as PrintedConfig);
  if (cached) writeAtomically(cached, stdout);
  return config;
}

export function toServiceConfig(printed: PrintedConfig): ServiceConfig {
  const { provider } = printed;
  const tableResources = Object.entries(printed.resources?.Resources ?? {}).filter(
    ([, r]) => r.Type === 'AWS::DynamoDB::Table',
  );
  const tables = tableResources.map(([, r]) => tableInput(r.Properties));
  const tableNames = Object.fromEntries(
    tableResources.map(([id, r]) => [
      id,
      typeof r.Properties.TableName === 'string' ? r.Properties.TableName : id,
    ]),
  );
  const stateMachines = Object.entries(printed.stepFunctions?.stateMachines ?? {}).map(([key, sm]) => {
    const name = sm.name ?? key;
    return {
      key,
      // The plugin's default logical id when serverless.yml sets no `id`.
      id: sm.id ?? `${key.charAt(0).toUpperCase()}${key.slice(1)}StepFunctionsStateMachine`,
      name,
      type: sm.type ?? 'STANDARD',
      localArn: localStateMachineArn(provider.region, name),
      definition: sm.definition,
    };
  });
  const localValues: Record<string, string> = {
    ...tableNames,
    ...Object.fromEntries(stateMachines.map((machine) => [machine.id, machine.localArn])),
  };
  const functions = Object.fromEntries(
    Object.entries(printed.functions ?? {}).map(([key, fn]): [string, FunctionConfig] => [
      key,
      {
        name: fn.name,
        handler: fn.handler ?? '',
        // Lambda's defaults when neither the function nor the provider sets them.
        timeoutSeconds: fn.timeout ?? provider.timeout ?? 6,
        memorySize: fn.memorySize ?? provider.memorySize ?? 1024,
        environment: withLocalReferences(fn.environment ?? {}, localValues),
        httpRoutes: (fn.events ?? []).flatMap((event) => (event.httpApi ? [httpRoute(event.httpApi)] : [])),
      },
    ]),
  );
  return {
    service: printed.service,
    stage: printed.provider.stage,
    region: printed.provider.region,
    functions,
    providerEnvironment: provider.environment ?? {},
    httpApi: provider.httpApi ?? {},
    esbuild: esbuildOptionsFrom(printed.custom?.esbuild ?? {}),
    tables,
    tableNames,
    stateMachines,
    local: localSettings(printed.custom?.local ?? {}, functions),
  };
}

/** The name of the table serverless.yml defines under this logical id (`OrdersTable`); throws if it defines none. */
export function tableName(config: Pick<ServiceConfig, 'tableNames'>, logicalId: string): string {
  const name = config.tableNames[logicalId];
  if (name === undefined) throw new Error(`serverless.yml defines no table ${logicalId}`);
  return name;
}

/**
 * An environment whose `{"Ref": <state machine or table logical id>}` values become what the local services know
 * them by (`STATE_MACHINE_ARN: {Ref: OrderWorkflowStateMachine}` -> its local ARN). Other values stay as printed.
 */
function withLocalReferences(
  environment: Record<string, unknown>,
  localValues: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => {
      const ref = (value as { Ref?: unknown } | null)?.Ref;
      return [name, typeof ref === 'string' ? (localValues[ref] ?? value) : value];
    }),
  );
}

/** `httpApi: 'POST /orders'` or `httpApi: { method, path, authorizer }`. */
function httpRoute(event: HttpRoute | string): HttpRoute {
  if (typeof event !== 'string') return { ...event, method: event.method.toUpperCase() };
  const [method = '*', path = '*'] = event.split(' ');
  return { method: method.toUpperCase(), path };
}

/** Keeps what DynamoDB Local understands of a table's CloudFormation properties. */
function tableInput(props: Record<string, unknown>): CreateTableCommandInput {
  const pick = <K extends keyof CreateTableCommandInput>(key: K) =>
    props[key] === undefined ? {} : { [key]: props[key] as CreateTableCommandInput[K] };
  return {
    ...pick('TableName'),
    ...pick('AttributeDefinitions'),
    ...pick('KeySchema'),
    ...pick('GlobalSecondaryIndexes'),
    ...pick('LocalSecondaryIndexes'),
    BillingMode: 'PAY_PER_REQUEST',
  } as CreateTableCommandInput;
}

/** The CloudFormation logical id serverless gives a function key (createOrder -> CreateOrderLambdaFunction). */
export function lambdaLogicalId(functionKey: string): string {
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

/**
 * Replaces each `{"Fn::GetAtt": ["XxxLambdaFunction", "Arn"]}` in a printed definition with the ARN
 * `arnOf(functionKey)` gives, each `{"Ref": "<state machine logical id>"}` (another state machine of the
 * service, e.g. the child a `.sync` task starts) with its ARN from `stateMachineArns`, and each
 * `{"Ref": "<table logical id>"}` with the table's name, so the local engine runs the very definition that deploys.
 */
export function resolveFunctionArns(
  definition: unknown,
  functionKeys: string[],
  arnOf: (functionKey: string) => string,
  stateMachineArns: Readonly<Record<string, string>> = {},
  tableNames: Readonly<Record<string, string>> = {},
): unknown {
  const byLogicalId = new Map(functionKeys.map((key) => [lambdaLogicalId(key), key]));
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
      const key = byLogicalId.get(getAtt[0]);
      if (!key) throw new Error(`The state machine references ${getAtt[0]}, which is not a function here`);
      return arnOf(key);
    }
    const ref = (value as Record<string, unknown>).Ref;
    if (typeof ref === 'string' && Object.keys(value).length === 1) {
      const resolved = stateMachineArns[ref] ?? tableNames[ref];
      if (!resolved)
        throw new Error(
          `The state machine references ${ref}, which is neither a state machine nor a table here`,
        );
      return resolved;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
  };
  return visit(definition);
}
