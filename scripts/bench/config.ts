import { printCacheDir, readServiceConfig, type ServiceConfig } from '../../local';

export const STAGE = 'local';

/** serverless.yml as `serverless print` resolves it: what the local cloud reads, custom.esbuild included. */
export type BenchConfig = ServiceConfig;

/** Reads serverless.yml through the framework (or the output it printed last, as the local cloud it starts does). */
export function readBenchConfig(): Promise<BenchConfig> {
  return readServiceConfig(STAGE, process.cwd(), {}, printCacheDir());
}
