import { readFileSync } from 'node:fs';

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
