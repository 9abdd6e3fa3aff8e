import { readServiceConfig, type ServiceConfig } from '../../local';

export const STAGE = 'local';

/** serverless.yml as `serverless print` resolves it: what the local cloud reads, custom.esbuild included. */
export type BenchConfig = ServiceConfig;

/** Reads serverless.yml through the framework. */
export function readBenchConfig(): Promise<BenchConfig> {
  return readServiceConfig(STAGE);
}
