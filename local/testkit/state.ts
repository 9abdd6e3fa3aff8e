import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceConfig } from '../serverless-config';

/** Set by the global setup; the path of the JSON file below, shared with every jest worker. */
export const STATE_VARIABLE = 'WORKFLOW_KIT_STATE';

/** What the global setup started and read from serverless.yml, handed to the test workers through a file. */
export interface KitState {
  service: string;
  stage: string;
  region: string;
  dynamoDbEndpoint: string;
  /** Function key -> deployed name, handler (`src/handlers/x.handler`) and environment (provider's + its own). */
  functions: Record<string, { name: string; handler: string; environment: Record<string, string> }>;
  /** Table names by their suffix in serverless.yml (`orders`, `catalog`, ...). */
  tables: Record<string, string>;
  /** Where each test file appends its coverage and timing records (JSON lines). */
  recordsDir: string;
  /** Where the kit keeps what outlives a run (jest's cache directory): the definitions asl-validator accepted. */
  cacheDir?: string;
}

/** The kit state of this jest run; fails with a hint when the workflow project's global setup did not run. */
export function kitState(): KitState {
  const file = process.env[STATE_VARIABLE];
  if (!file) {
    throw new Error(
      `${STATE_VARIABLE} is not set: run workflow tests through jest's "workflow" project (npm run test:workflow)`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as KitState;
}

/** The kit state for a service whose tables live at `dynamoDbEndpoint`; records go to `recordsDir`. */
export function kitStateOf(
  config: ServiceConfig,
  dynamoDbEndpoint: string,
  recordsDir: string,
  cacheDir?: string,
): KitState {
  return {
    service: config.service,
    stage: config.stage,
    region: config.region,
    dynamoDbEndpoint,
    functions: Object.fromEntries(
      Object.entries(config.functions).map(([key, fn]) => [
        key,
        {
          name: fn.name,
          handler: fn.handler,
          environment: strings({ ...config.providerEnvironment, ...fn.environment }),
        },
      ]),
    ),
    tables: Object.fromEntries(
      config.tables.map((table) => {
        const name = table.TableName ?? '';
        return [name.slice(`${config.service}-${config.stage}-`.length), name];
      }),
    ),
    recordsDir,
    ...(cacheDir === undefined ? {} : { cacheDir }),
  };
}

/**
 * Makes `state` the kit state of this process and of the processes it starts from now on (jest workers): writes it
 * to recordsDir/state.json and points STATE_VARIABLE at that file.
 */
export function useKitState(state: KitState): void {
  const file = join(state.recordsDir, 'state.json');
  writeFileSync(file, JSON.stringify(state, null, 2));
  process.env[STATE_VARIABLE] = file;
}

/** Environment values as Lambda sees them: strings only (a CloudFormation Ref has no local value). */
function strings(environment: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).flatMap(([key, value]) =>
      typeof value === 'string' || typeof value === 'number' ? [[key, String(value)]] : [],
    ),
  );
}
